import { z } from "zod";
import { parseTrustedProxies } from "@/lib/http/client-address";

// The environment is validated once, at first use. Each variable switches one integration on;
// with none set Tally runs on its embedded defaults (PGlite, sandbox gateway, local runner, mailbox).
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().optional(),
  TALLY_DATA_DIR: z.string().default(".data"),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  APP_URL: z.string().url().optional(),
  RESEND_API_KEY: z.string().optional(),
  EMAIL_FROM: z.string().default("Tally Billing <billing@tally.local>"),
  STRIPE_SECRET_KEY: z.string().optional(),
  NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  /** Also serve Stripe webhooks on this port, outside Next (lib/payments/webhooks/listener.ts). */
  STRIPE_WEBHOOK_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Also serve POST /api/v1/usage_events(/batch) on this port, outside Next (lib/api/usage-listener.ts). */
  USAGE_EVENTS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Also answer GET /api/v1/customers/{id}/entitlements on this port, outside Next (lib/api/entitlements-listener.ts). */
  ENTITLEMENTS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  STRIPE_API_BASE: z.string().url().optional(),
  STRIPE_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
  INNGEST_EVENT_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY: z.string().optional(),
  INNGEST_DEV: z.string().optional(),
  TALLY_SEED_DEMO: z.enum(["0", "1"]).optional(),
  TALLY_JOBS: z.enum(["on", "off"]).default("on"),
  /** The business's country: a new install is registered for tax there (lib/tax/engine.ts). */
  TALLY_DEFAULT_COUNTRY: z
    .string()
    .regex(/^[A-Za-z]{2}$/, { message: "must be a two-letter country code" })
    .default("AU")
    .transform((c) => c.toUpperCase()),
  /** Proxies whose X-Forwarded-For is believed (lib/http/client-address.ts); none by default. */
  TRUSTED_PROXIES: z.string().optional().superRefine((value, ctx) => {
    try {
      parseTrustedProxies(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
    }
  }),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Base URL used in links Tally sends (emails, hosted invoice pages). */
export function appUrl(): string {
  const e = env();
  return (e.APP_URL ?? e.NEXTAUTH_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, "");
}
