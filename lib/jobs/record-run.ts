import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { jobRuns } from "@/db/schema";
import { errorField, log } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/**
 * One run of a periodic job, recorded the same way whoever runs it (the local runner or an Inngest
 * function): its start, end, status and result in `job_runs` (the console's overview and the
 * `tally_job_last_finished_seconds` gauge read them), a counter by outcome and a duration histogram.
 * A failure is logged and recorded; `rethrow` passes it on (Inngest retries the step), otherwise the
 * run is over (the local runner tries again at its next tick).
 */
export async function recordJobRun<T>(db: Db, name: string, now: Date, run: () => Promise<T>, options: { rethrow?: boolean } = {}): Promise<T | undefined> {
  await db
    .insert(jobRuns)
    .values({ name, lastStartedAt: now, lastStatus: "running" })
    .onConflictDoUpdate({ target: jobRuns.name, set: { lastStartedAt: now, lastStatus: "running" } });
  const started = performance.now();
  let outcome: "ok" | "error" = "ok";
  try {
    const result = await run();
    await db.update(jobRuns).set({ lastFinishedAt: new Date(), lastStatus: "ok", lastError: null, lastResult: result ?? null }).where(eq(jobRuns.name, name));
    return result;
  } catch (error) {
    outcome = "error";
    const message = error instanceof Error ? error.message : String(error);
    log.error({ ...errorField(error) }, `job ${name} failed`);
    await db.update(jobRuns).set({ lastFinishedAt: new Date(), lastStatus: "error", lastError: message }).where(eq(jobRuns.name, name));
    if (options.rethrow) throw error;
    return undefined;
  } finally {
    metrics().jobRuns.inc({ job: name, outcome });
    metrics().jobDuration.observe({ job: name }, (performance.now() - started) / 1000);
  }
}
