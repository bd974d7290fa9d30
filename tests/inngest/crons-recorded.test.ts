import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { InngestTestEngine } from "@inngest/test";
import { getDb } from "@/db/client";
import { jobRuns } from "@/db/schema";
import { leakageCheck, paymentsReconcile } from "@/inngest/functions/crons";
import { metrics } from "@/lib/observability/metrics";
import { tick } from "./support";

/** A job run by Inngest is recorded like one the local runner ran: job_runs (the console's overview) and the job metrics. */
describe("Inngest crons are recorded under the local runner's job names", () => {
  it("a run leaves its status, result and counters; a second run counts again", async () => {
    const at = new Date("2026-12-06T02:00:00Z");
    const runs = async () => (await metrics().jobRuns.get()).values.find((v) => v.labels.job === "payments.reconcile" && v.labels.outcome === "ok")?.value ?? 0;
    const before = await runs();
    const { result } = await new InngestTestEngine({ function: paymentsReconcile }).execute({ events: tick(at) });
    const db = await getDb();
    const [row] = await db.select().from(jobRuns).where(eq(jobRuns.name, "payments.reconcile"));
    expect(row).toMatchObject({ lastStatus: "ok", lastError: null, lastStartedAt: at });
    expect(row?.lastResult).toEqual(result);
    expect(await runs()).toBe(before + 1);

    await new InngestTestEngine({ function: leakageCheck }).execute({ events: tick(at) });
    const [leakage] = await db.select().from(jobRuns).where(eq(jobRuns.name, "leakage.check"));
    expect(leakage?.lastStatus).toBe("ok");
  });
});
