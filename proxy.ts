import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, policyFor } from "@/lib/http/content-security-policy";

/**
 * Not a security gate (every page, action and handler checks the session itself): it passes the
 * requested path to pages so sign-in can send people back where they were going, and gives every
 * page a per-request nonce-based Content-Security-Policy (lib/http/content-security-policy.ts).
 */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-tally-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, policyFor(request.nextUrl.pathname), process.env.NODE_ENV === "development");
  // Next reads the nonce from the request's CSP header and puts it on its own inline scripts.
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = { matcher: ["/((?!api|_next/static|_next/image|favicon.ico).*)"] };
