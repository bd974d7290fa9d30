import { encode } from "next-auth/jwt";
import { authOptions } from "./options";
import { authSecret } from "./secret";

/** next-auth's session cookie name: the __Secure- prefix when Tally is served over https. */
export function sessionCookieName(): string {
  const base = process.env.NEXTAUTH_URL ?? process.env.APP_URL ?? "";
  return base.startsWith("https://") ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/** A session token exactly like the one next-auth issues at sign-in (see the jwt callback). */
export async function mintSessionToken(user: { id: string; email: string; name: string | null; sessionVersion: number }): Promise<{ name: string; value: string; maxAge: number }> {
  const maxAge = authOptions.session?.maxAge ?? 30 * 24 * 60 * 60;
  const value = await encode({ token: { sub: user.id, uid: user.id, sv: user.sessionVersion, email: user.email, name: user.name }, secret: authSecret(), maxAge });
  return { name: sessionCookieName(), value, maxAge };
}
