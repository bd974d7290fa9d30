import { getHandle } from "@/db/client";
import { demoBanner, seedDemo } from "@/db/seed";
import { appUrl, env } from "@/lib/env";
import { inngestConfigured } from "@/lib/jobs/inngest-port";
import { startLocalRunner } from "@/lib/jobs/local-runner";
import { claimDataDir } from "./data-dir-lock";
import { startupNotices, startupRefusal } from "./startup-checks";
import { log } from "@/lib/observability/logger";

/**
 * Runs once when the Next.js server starts (instrumentation.ts): validate the environment (and
 * refuse, in one line, what production cannot run with), say which demo stand-ins are in use,
 * migrate, seed demo data on the embedded default, start the local job runner.
 */
export async function bootServer(): Promise<void> {
  const e = env();
  const refusal = startupRefusal(e);
  if (refusal) {
    console.error(`[tally] Refusing to start: ${refusal}`);
    process.exit(1);
  }
  const { warnings, notice } = startupNotices(e);
  for (const line of warnings) console.warn(line);
  if (notice) console.log(notice);
  // next-auth builds sign-in links from NEXTAUTH_URL; default it to Tally's own public URL
  // rather than trusting the Host header of whoever asks for a link.
  process.env.NEXTAUTH_URL ??= appUrl();
  if (!e.DATABASE_URL && !e.TALLY_DATA_DIR.startsWith("memory://")) claimDataDir(e.TALLY_DATA_DIR);
  const { db, driver } = await getHandle();
  const shouldSeed = e.TALLY_SEED_DEMO ? e.TALLY_SEED_DEMO === "1" : driver === "pglite";
  if (shouldSeed) {
    const seeded = await seedDemo(db, new Date());
    console.log(demoBanner(seeded?.apiKey ?? null, appUrl()));
  }
  if (e.TALLY_JOBS === "on") startLocalRunner();
  if (e.STRIPE_WEBHOOK_PORT) {
    const { startStripeWebhookListener } = await import("@/lib/payments/webhooks/listener");
    await startStripeWebhookListener(e.STRIPE_WEBHOOK_PORT);
    log.info({ port: e.STRIPE_WEBHOOK_PORT }, "Stripe webhooks also on this port (POST /api/webhooks/stripe)");
  }
  if (e.USAGE_EVENTS_PORT) {
    const { startUsageEventsListener } = await import("@/lib/api/usage-listener");
    await startUsageEventsListener(e.USAGE_EVENTS_PORT);
    log.info({ port: e.USAGE_EVENTS_PORT }, "usage events also on this port (POST /api/v1/usage_events, /api/v1/usage_events/batch)");
  }
  if (e.ENTITLEMENTS_PORT) {
    const { startEntitlementsListener } = await import("@/lib/api/entitlements-listener");
    await startEntitlementsListener(e.ENTITLEMENTS_PORT);
    log.info({ port: e.ENTITLEMENTS_PORT }, "entitlement checks also on this port (GET /api/v1/customers/{id}/entitlements)");
  }
  const jobs = inngestConfigured() ? "Inngest (/api/inngest)" : e.TALLY_JOBS === "on" ? "local runner" : "off";
  const payments = e.STRIPE_SECRET_KEY ? "stripe" : "sandbox";
  const email = e.RESEND_API_KEY ? "resend" : "mailbox (/admin/emails)";
  const metrics = process.env.METRICS_TOKEN ? "/metrics (bearer METRICS_TOKEN)" : e.NODE_ENV === "production" ? "off (set METRICS_TOKEN)" : "/metrics (open)";
  const tracing = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? "OTLP" : "off";
  log.info({ database: driver, payments, jobs, email, metrics, tracing }, `ready: database ${driver}, payments ${payments}, jobs ${jobs}, email ${email}, metrics ${metrics}, traces ${tracing}`);
}
