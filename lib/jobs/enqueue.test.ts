import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { enqueueJob, registerNudge } from "./enqueue";

describe("enqueueJob (local runner)", () => {
  const nudged: string[] = [];
  beforeEach(() => {
    delete process.env.INNGEST_DEV;
    delete process.env.INNGEST_EVENT_KEY;
    vi.useFakeTimers();
    nudged.length = 0;
    registerNudge((name) => nudged.push(name));
  });
  afterEach(() => vi.useRealTimers());

  it("runs the job on the first ask of a minute and once more a minute later, whatever the asks in between", () => {
    const job = `test.job.${Math.random()}`;
    enqueueJob(job, "2026-12-05T10:00");
    expect(nudged).toEqual([job]);
    for (let i = 0; i < 50; i++) enqueueJob(job, "2026-12-05T10:00");
    expect(nudged).toEqual([job]);
    vi.advanceTimersByTime(60_000);
    expect(nudged).toEqual([job, job]);
    enqueueJob(job, "2026-12-05T10:01");
    expect(nudged).toEqual([job, job, job]);
  });
});
