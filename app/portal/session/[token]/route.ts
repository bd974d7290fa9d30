import { eq } from "drizzle-orm";
import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { mintSessionToken } from "@/lib/auth/session-cookie";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { PORTAL_RETURN_COOKIE } from "@/lib/portal/return-link";
import { redeemPortalSession } from "@/lib/services/portal/portal-sessions";

export const dynamic = "force-dynamic";

/**
 * Opening a portal link: the single-use token signs the browser in as the customer's portal user
 * and lands on the flow the SaaS asked for. An expired or used link goes to sign-in with a message.
 */
export async function GET(_request: NextRequest, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const db = await getDb();
  const now = new Date();
  const base = appUrl();
  try {
    const redeemed = await redeemPortalSession({ db, actor: { type: "system", id: "portal-session" }, now }, token);
    const [user] = await db.select({ id: users.id, email: users.email, name: users.name, sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, redeemed.userId));
    if (!user) throw new AppError("not_found", { userMessage: "That billing link has expired or was already used." });
    const cookie = await mintSessionToken(user);
    const response = NextResponse.redirect(new URL(redeemed.redirectPath, base), 303);
    const secure = cookie.name.startsWith("__Secure-");
    response.cookies.set(cookie.name, cookie.value, { httpOnly: true, sameSite: "lax", path: "/", secure, maxAge: cookie.maxAge });
    if (redeemed.returnUrl) response.cookies.set(PORTAL_RETURN_COOKIE, redeemed.returnUrl, { httpOnly: true, sameSite: "lax", path: "/", secure });
    else response.cookies.delete(PORTAL_RETURN_COOKIE);
    response.headers.set("cache-control", "no-store");
    response.headers.set("referrer-policy", "no-referrer");
    return response;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const response = NextResponse.redirect(new URL("/sign-in?error=PortalLinkExpired", base), 303);
    response.headers.set("cache-control", "no-store");
    return response;
  }
}
