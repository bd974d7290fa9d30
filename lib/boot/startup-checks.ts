import { authSecretProblem } from "@/lib/auth/secret";
import type { Env } from "@/lib/env";

type StartupEnv = Pick<Env, "DATABASE_URL" | "NEXTAUTH_SECRET" | "STRIPE_SECRET_KEY" | "RESEND_API_KEY">;

/**
 * What the server says about its configuration before it serves anything. With DATABASE_URL Tally
 * is set up like production: it refuses to start without what production needs, and says loudly,
 * on every start, which parts still run on their demo stand-ins. On the embedded database one calm
 * line is enough.
 */
export function startupRefusal(e: StartupEnv): string | null {
  return authSecretProblem(e);
}

const standIns = [
  {
    inUse: (e: StartupEnv) => !e.STRIPE_SECRET_KEY,
    demo: "sandbox payments (test cards only)",
    warning:
      "payments go through the SANDBOX gateway: only Stripe's test cards work, no money moves, and live API keys (tk_live_) are refused. Set STRIPE_SECRET_KEY, NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET to take real payments.",
  },
  {
    inUse: (e: StartupEnv) => !e.RESEND_API_KEY,
    demo: "emails kept in the mailbox at /admin/emails (sign-in links are printed here)",
    warning: "emails are NOT sent: they stay in the mailbox at /admin/emails, and sign-in and payment-confirmation links are printed to this log. Set RESEND_API_KEY to send email.",
  },
];

/** The lines to print at start: loud warnings with DATABASE_URL, a calm one-line notice without. */
export function startupNotices(e: StartupEnv): { warnings: string[]; notice: string | null } {
  const inUse = standIns.filter((s) => s.inUse(e));
  if (inUse.length === 0) return { warnings: [], notice: null };
  if (!e.DATABASE_URL) return { warnings: [], notice: `[tally] demo mode: ${inUse.map((s) => s.demo).join("; ")}.` };
  const rule = `[tally] ${"!".repeat(72)}`;
  return {
    warnings: [rule, "[tally] WARNING: DATABASE_URL is set, but Tally is not ready for real customers:", ...inUse.map((s) => `[tally]   - ${s.warning}`), rule],
    notice: null,
  };
}
