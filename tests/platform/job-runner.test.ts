import { beforeAll, describe, expect, it } from "vitest";
import { eq, isNull } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { jobRuns, outboxEvents } from "@/db/schema";
import { enqueueEvent } from "@/lib/events/outbox";
import { jobs, nudgeJob, runJob, startLocalRunner, type Job } from "@/lib/jobs/local-runner";
import { NOW, needsPostgres } from "../services/support";
import { takeLogged } from "../setup/logs";

let db: Db;

beforeAll(async () => {
  db = await getDb();
});

async function runOf(name: string) {
  const [row] = await db.select().from(jobRuns).where(eq(jobRuns.name, name));
  return row;
}

/** Add a job to the runner's list for one test. */
async function withJob<T>(job: Job, body: () => Promise<T>): Promise<T> {
  jobs.push(job);
  try {
    return await body();
  } finally {
    jobs.splice(jobs.indexOf(job), 1);
  }
}

describe("local job runner", () => {
  it("runs the outbox job and records the run as ok with its result", async () => {
    const job = jobs.find((j) => j.name === "outbox.dispatch");
    if (!job) throw new Error("outbox.dispatch job missing");
    await enqueueEvent(db, { type: "product.updated", entityId: "j1", payload: { product: "j1" } }, NOW);
    await enqueueEvent(db, { type: "product.updated", entityId: "j2", payload: { product: "j2" } }, NOW);

    expect(await runJob(job, NOW)).toBe("ran");
    const run = await runOf("outbox.dispatch");
    expect(run).toMatchObject({ lastStatus: "ok", lastError: null, lastResult: 2 });
    expect(run?.lastStartedAt).toEqual(NOW);
    expect(run?.lastFinishedAt).toBeInstanceOf(Date);
    expect(await db.select().from(outboxEvents).where(isNull(outboxEvents.dispatchedAt))).toEqual([]);

    const later = new Date(NOW.getTime() + 60_000);
    expect(await runJob(job, later)).toBe("ran");
    expect(await runOf("outbox.dispatch")).toMatchObject({ lastStatus: "ok", lastResult: 0, lastStartedAt: later });
  });

  it("records a failing job as error with its message, and the next good run clears it", async () => {
    let fail = true;
    const job: Job = {
      name: "test.sometimes-fails",
      everyMs: 60_000,
      run: async () => {
        if (fail) throw new Error("upstream unavailable");
        return { done: 3 };
      },
    };
    await withJob(job, async () => {
      expect(await runJob(job, NOW)).toBe("ran");
      expect(await runOf(job.name)).toMatchObject({ lastStatus: "error", lastError: "upstream unavailable" });
      // Logged too, with the job's name and the error.
      expect(takeLogged("error")).toEqual([expect.objectContaining({ msg: "job test.sometimes-fails failed", err: expect.objectContaining({ message: "upstream unavailable" }) })]);
      fail = false;
      expect(await runJob(job, NOW)).toBe("ran");
      expect(await runOf(job.name)).toMatchObject({ lastStatus: "ok", lastError: null, lastResult: { done: 3 } });
    });
  });

  it.skipIf(needsPostgres)("two runs of one job at once: one runs, the other is skipped (needs PostgreSQL)", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let ranTwice!: (v: string) => void;
    const overlap = new Promise<string>((resolve) => (ranTwice = resolve));
    let runs = 0;
    const job: Job = {
      name: "test.single-flight",
      everyMs: 60_000,
      run: async () => {
        runs += 1;
        started();
        if (runs === 2) ranTwice("both ran at once");
        await gate;
        return runs;
      },
    };
    await withJob(job, async () => {
      const both = [runJob(job, NOW), runJob(job, NOW)];
      await running;
      // The run that got the lock is held at the gate; the other one has to come back without running.
      expect(await Promise.race([...both, overlap])).toBe("skipped");
      expect(await runOf(job.name)).toMatchObject({ lastStatus: "running" });
      release();
      expect((await Promise.all(both)).sort()).toEqual(["ran", "skipped"]);
      expect(runs).toBe(1);
      expect(await runOf(job.name)).toMatchObject({ lastStatus: "ok", lastResult: 1 });

      // Once the first run is over, the lock is free again.
      expect(await runJob(job, NOW)).toBe("ran");
      expect(runs).toBe(2);
    });
  });

  it("runs a job nudged while it runs once more when that run ends, however many nudges came", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const job: Job = {
      name: "test.nudged",
      everyMs: 3_600_000,
      run: async () => {
        runs += 1;
        await gate;
        return null;
      },
    };
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
      expect(ok()).toBe(true);
    };
    await withJob(job, async () => {
      startLocalRunner();
      nudgeJob(job.name);
      await until(() => runs === 1);
      // Nudged while running (e.g. costs committed after the run began): not dropped, one more run.
      nudgeJob(job.name);
      nudgeJob(job.name);
      await new Promise((r) => setTimeout(r, 100));
      expect(runs).toBe(1);
      release();
      await until(() => runs === 2);
      await new Promise((r) => setTimeout(r, 200));
      expect(runs).toBe(2);
    });
  });
});
