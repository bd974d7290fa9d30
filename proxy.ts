import { NextResponse, type NextRequest } from "next/server";

/**
 * Not a security gate (every page, action and handler checks the session itself): it only passes
 * the requested path to pages so sign-in can send people back where they were going.
 */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-tally-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/((?!api|_next/static|_next/image|favicon.ico).*)"] };
