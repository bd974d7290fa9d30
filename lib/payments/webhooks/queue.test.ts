import { afterEach, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import type { Db } from "@/db/client";
import { takeLogged } from "@/tests/setup/logs";

// The queue's only dependency: processing one recorded event. Each test decides what it does.
const processStripeEvent = vi.fn<(db: Db, eventId: string, opts: { requestId?: string }) => Promise<unknown>>();
vi.mock("./receive", () => ({ processStripeEvent: (db: Db, id: string, opts: { requestId?: string }) => processStripeEvent(db, id, opts) }));
const { CONCURRENCY, MAX_QUEUED, enqueueStripeEvent, queuedStripeEvents, stripeQueueIdle } = await import("./queue");

const db = {} as Db;
const turn = () => new Promise<void>((r) => setImmediate(r));

afterEach(async () => {
  await stripeQueueIdle();
  processStripeEvent.mockReset();
});

describe("the webhook processing queue", () => {
  it("runs nothing on the caller's turn: processing starts after the current I/O turn", async () => {
    const started: string[] = [];
    processStripeEvent.mockImplementation(async (_db, id) => void started.push(id));
    expect(enqueueStripeEvent(db, "evt_a", { type: "payment_intent.succeeded", requestId: "req_1" })).toBe(true);
    await Promise.resolve();
    expect(started).toEqual([]);
    await stripeQueueIdle();
    expect(started).toEqual(["evt_a"]);
    expect(processStripeEvent).toHaveBeenCalledWith(db, "evt_a", { requestId: "req_1" });
  });

  it("does not queue an id that is already waiting or running (a redelivery before processing)", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    processStripeEvent.mockImplementation(() => gate);
    enqueueStripeEvent(db, "evt_dup", { type: "t" });
    enqueueStripeEvent(db, "evt_dup", { type: "t" });
    await turn();
    expect(queuedStripeEvents()).toBe(1);
    enqueueStripeEvent(db, "evt_dup", { type: "t" }); // running now
    expect(queuedStripeEvents()).toBe(1);
    release();
    await stripeQueueIdle();
    expect(processStripeEvent).toHaveBeenCalledTimes(1);
  });

  it("a failed run is logged for the sweeper and does not stop the queue", async () => {
    processStripeEvent.mockRejectedValueOnce(new Error("gateway timed out")).mockResolvedValue({ status: "processed" });
    enqueueStripeEvent(db, "evt_fails", { type: "payment_intent.succeeded" });
    enqueueStripeEvent(db, "evt_next", { type: "charge.refunded" });
    await stripeQueueIdle();
    expect(processStripeEvent.mock.calls.map((c) => c[1])).toEqual(["evt_fails", "evt_next"]);
    const errors = takeLogged("error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: "stripe webhook failed after it was acknowledged; the sweeper retries it", stripe_event_id: "evt_fails", stripe_event_type: "payment_intent.succeeded", err: { message: "gateway timed out" } });
  });

  it("a full queue refuses more ids (they are recorded; the sweeper takes them)", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    processStripeEvent.mockImplementation(() => gate);
    for (let i = 0; i < MAX_QUEUED + CONCURRENCY; i++) {
      expect(enqueueStripeEvent(db, `evt_fill_${i}`, { type: "t" })).toBe(true);
      if (i === CONCURRENCY - 1) await turn(); // the first ones start running
    }
    expect(enqueueStripeEvent(db, "evt_overflow", { type: "t" })).toBe(false);
    expect(queuedStripeEvents()).toBe(MAX_QUEUED + CONCURRENCY);
    release();
    await stripeQueueIdle();
    expect(processStripeEvent).toHaveBeenCalledTimes(MAX_QUEUED + CONCURRENCY);
  });

  it("property: never more than CONCURRENCY runs at once, every id processed after its last enqueue, none twice at once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ id: fc.integer({ min: 0, max: 12 }), delayTurns: fc.integer({ min: 0, max: 3 }), pauseAfter: fc.boolean() }), { minLength: 1, maxLength: 60 }),
        async (steps) => {
          processStripeEvent.mockReset();
          let active = 0;
          let peak = 0;
          const activeIds = new Set<string>();
          const finishedAt = new Map<string, number>();
          const enqueuedAt = new Map<string, number>();
          let clock = 0;
          const delays = new Map(steps.map((s) => [`evt_${s.id}`, s.delayTurns]));
          processStripeEvent.mockImplementation(async (_db, id) => {
            expect(activeIds.has(id)).toBe(false);
            activeIds.add(id);
            active += 1;
            peak = Math.max(peak, active);
            for (let i = 0; i < (delays.get(id) ?? 0); i++) await turn();
            active -= 1;
            activeIds.delete(id);
            finishedAt.set(id, ++clock);
          });
          for (const step of steps) {
            const id = `evt_${step.id}`;
            // An id already waiting is covered by that run; otherwise this enqueue needs a run that finishes later.
            enqueueStripeEvent(db, id, { type: "t" });
            enqueuedAt.set(id, clock);
            if (step.pauseAfter) await turn();
          }
          await stripeQueueIdle();
          expect(peak).toBeLessThanOrEqual(CONCURRENCY);
          expect(queuedStripeEvents()).toBe(0);
          for (const [id, at] of enqueuedAt) {
            // Processed, and by a run that ended no earlier than the moment of its last enqueue.
            expect(finishedAt.get(id), id).toBeGreaterThanOrEqual(at);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
