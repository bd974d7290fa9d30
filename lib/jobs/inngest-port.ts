/**
 * Which job runner owns the due work. Inngest (production) when it is configured — both keys for
 * Inngest Cloud, or INNGEST_DEV=1 for a local Inngest dev server — otherwise the embedded local
 * runner (lib/jobs/local-runner.ts), which is the default. Deliberately free of the SDK, so the
 * local runner and the boot code can ask without loading it.
 */
export function inngestConfigured(env: Record<string, string | undefined> = process.env): boolean {
  if (env.INNGEST_DEV === "1") return true;
  return Boolean(env.INNGEST_EVENT_KEY && env.INNGEST_SIGNING_KEY);
}

/** At most this many items per fan-out step (one `step.run` page, one `step.sendEvent` batch). */
export const FAN_OUT_CHUNK = 500;

/** At most this many pages per fan-out run (10,000 items); the next tick continues from the state. */
export const FAN_OUT_MAX_PAGES = 20;
