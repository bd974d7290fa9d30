import { eq } from "drizzle-orm";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { EmailConfig } from "next-auth/providers/email";
import { headers } from "next/headers";
import { createElement } from "react";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { MagicLinkEmail, magicLinkSubject } from "@/emails/magic-link";
import { renderWithSecretLink } from "@/lib/email/secret-link";
import { sendEmail } from "@/lib/email/transport";
import { AppError } from "@/lib/errors";
import { tallyAdapter } from "./adapter";
import { endSessions } from "@/lib/services/users/end-sessions";
import { authSecret } from "./secret";
import { sessionVersion } from "./session-version";
import { SIGN_IN_LINK_MAX_AGE_S } from "./sign-in-link";
import { verifyPassword } from "./password";
import { clientAddress } from "@/lib/http/client-address";
import { limitMagicLink, limitSignIn } from "./rate-limit";

export const authOptions: NextAuthOptions = {
  // Read per request, not at import: `next build` imports this module without the runtime's secret.
  get secret() {
    return authSecret();
  },
  session: { strategy: "jwt", maxAge: 7 * 24 * 60 * 60 },
  adapter: tallyAdapter(),
  pages: { signIn: "/sign-in", verifyRequest: "/sign-in/check-email", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      id: "password",
      name: "Password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const email = String(credentials?.email ?? "").trim().toLowerCase();
        const password = String(credentials?.password ?? "");
        try {
          await limitSignIn(clientAddress(req.headers ?? {}), email);
        } catch (error) {
          if (error instanceof AppError && error.code === "rate_limited") throw new Error("RateLimited");
          throw error;
        }
        const db = await getDb();
        const [user] = await db.select().from(users).where(eq(users.email, email));
        const ok = await verifyPassword(user?.passwordHash, password);
        if (!user || !ok || user.deactivatedAt) return null;
        return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
      },
    }),
    // The magic-link provider, declared directly: links are delivered by Tally's own transport
    // (Resend or the mailbox), so next-auth's nodemailer-based helper is not needed.
    {
      id: "email",
      type: "email",
      name: "Email",
      server: {},
      from: process.env.EMAIL_FROM ?? "Tally Billing <billing@tally.local>",
      maxAge: SIGN_IN_LINK_MAX_AGE_S,
      options: {},
      async sendVerificationRequest({ identifier, url, token }) {
        const db = await getDb();
        const { host } = new URL(url);
        const bodies = await renderWithSecretLink((link) => createElement(MagicLinkEmail, { url: link, host }), { url, secret: token, purpose: "sign-in link" });
        await sendEmail(db, { to: identifier, subject: magicLinkSubject, template: "magic-link", ...bodies });
      },
    } satisfies EmailConfig,
  ],
  callbacks: {
    async signIn({ user, email }) {
      // The magic link request itself (email.verificationRequest) is limited per requesting
      // client and per target inbox (lib/auth/rate-limit.ts).
      if (email?.verificationRequest && user.email) {
        try {
          await limitMagicLink(clientAddress(await headers()), user.email);
        } catch (error) {
          if (error instanceof AppError && error.code === "rate_limited") return false;
          throw error;
        }
      }
      return true;
    },
    jwt({ token, user }) {
      // At sign-in: who, and under which session version (lib/auth/session.ts refuses older ones).
      if (user) {
        token.uid = user.id;
        token.sv = sessionVersion((user as { sessionVersion?: unknown }).sessionVersion);
      }
      return token;
    },
    session({ session, token }) {
      // Role and customer are read fresh from the database per request (lib/auth/session.ts),
      // so a role change or deactivation applies at once.
      return { ...session, uid: typeof token.uid === "string" ? token.uid : undefined, sv: sessionVersion(token.sv) };
    },
  },
  events: {
    async signOut({ token }) {
      // The cookie is cleared by next-auth; ending the version makes a saved copy worthless too.
      if (typeof token?.uid !== "string") return;
      const db = await getDb();
      await endSessions({ db, actor: { type: "system", id: "sign-out" }, now: new Date() }, { userId: token.uid, sessionVersion: sessionVersion(token.sv) });
    },
  },
};
