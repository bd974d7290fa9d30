import { createHash, randomBytes } from "node:crypto";
import type { Executor } from "@/db/client";
import { verificationTokens } from "@/db/schema";
import { appUrl, env } from "@/lib/env";
import { authSecret } from "./secret";

/** How long a magic sign-in link works (next-auth's email provider uses the same). */
export const SIGN_IN_LINK_MAX_AGE_S = 24 * 60 * 60;

/**
 * A one-time sign-in link made outside a request, for the operator who creates the first admin
 * (`npm run tally -- create-user`) before any email can reach them. It is exactly what next-auth's
 * email provider makes: a random token whose hash with the auth secret is stored, opened at
 * /api/auth/callback/email, used once, 24 hours.
 */
export async function issueSignInLink(db: Executor, input: { email: string; callbackPath: string; now: Date }): Promise<{ url: string; expires: Date }> {
  const token = randomBytes(32).toString("hex");
  const expires = new Date(input.now.getTime() + SIGN_IN_LINK_MAX_AGE_S * 1000);
  const identifier = input.email.trim().toLowerCase();
  await db.insert(verificationTokens).values({ identifier, token: createHash("sha256").update(`${token}${authSecret()}`).digest("hex"), expires });
  const base = (env().NEXTAUTH_URL ?? appUrl()).replace(/\/$/, "");
  const params = new URLSearchParams({ callbackUrl: input.callbackPath, token, email: identifier });
  return { url: `${base}/api/auth/callback/email?${params}`, expires };
}
