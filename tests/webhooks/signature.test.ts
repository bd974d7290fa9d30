import { beforeAll, describe, expect, it, vi } from "vitest";
import { count, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { stripeEvents } from "@/db/schema";
import { sandboxGateway } from "@/lib/payments/sandbox/sandbox-gateway";
import { ctx, eventsFor, historyOf } from "../services/support";
import { jobs } from "@/lib/jobs/local-runner";
import { MAX_ATTEMPTS, processPendingStripeEvents, SWEEP_GRACE_MS } from "@/lib/payments/webhooks/receive";
import { chargedButUnrecorded, eventRow, invoiceRow, nowSeconds, outcomeOf, paymentIntent, paymentRow, post, postJson, SECRET, stripeEvent, waitForProcessed } from "./support";
import { makeCatalog, type Catalog } from "../factories";
import { logged, takeLogged } from "@/tests/setup/logs";

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

async function eventCount(): Promise<number> {
  const [row] = await db.select({ n: count() }).from(stripeEvents);
  return row?.n ?? 0;
}

describe("R5: forged or replayed webhooks are refused, logged, and write nothing", () => {
  it("bad signature, one byte changed, a timestamp older than 300 s, the wrong secret, no header → 400 each", async () => {
    const seed = await chargedButUnrecorded(ctx(db), catalog);
    const event = stripeEvent({ type: "payment_intent.succeeded", object: paymentIntent(seed.payment, "succeeded") });
    const body = JSON.stringify(event);
    const before = await eventCount();

    const forged: [string, Parameters<typeof post>[1]][] = [
      ["bad signature", { header: `t=${nowSeconds()},v1=${"ab".repeat(32)}` }],
      ["one byte changed", { tamper: (b) => b.replace(`"amount": ${seed.payment.amount}`, `"amount": ${seed.payment.amount + 1}`) }],
      ["one byte changed in the id", { tamper: (b) => b.replace(event.id, `${event.id.slice(0, -1)}${event.id.endsWith("X") ? "Y" : "X"}`) }],
      ["timestamp 301 s old (a replayed delivery)", { timestamp: nowSeconds() - 301 }],
      ["wrong secret", { secret: "whsec_someone_elses_endpoint_secret" }],
      ["no signature header", { header: null }],
      ["garbage header", { header: "not a signature" }],
    ];
    for (const [label, opts] of forged) {
      const res = await post(event, opts);
      expect(res.status, label).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const problem = (await res.json()) as { code: string; detail: string };
      expect(problem.code).toBe("invalid_request");
      expect(problem.detail).not.toContain(SECRET);
    }
    // Each refusal is logged with its reason, and never with the secret or the body.
    const refusals = logged("warn");
    expect(refusals).toHaveLength(forged.length);
    const lines = refusals.map((l) => JSON.stringify(l));
    expect(refusals.every((l) => l.msg === "stripe webhook refused")).toBe(true);
    expect(lines.some((l) => l.includes("Timestamp outside the tolerance zone"))).toBe(true);
    expect(lines.some((l) => l.includes("No signatures found matching the expected signature"))).toBe(true);
    expect(lines.some((l) => l.includes("no Stripe-Signature header"))).toBe(true);
    expect(lines.join("\n")).not.toContain(SECRET);
    expect(lines.join("\n")).not.toContain(body.slice(0, 40));

    // Nothing was written: no event row, the payment still pending, the invoice still open.
    expect(await eventCount()).toBe(before);
    expect(await eventRow(db, event.id)).toBeUndefined();
    expect((await paymentRow(db, seed.payment.id)).status).toBe("pending");
    expect((await invoiceRow(db, seed.invoiceId)).status).toBe("open");

    // The genuine delivery of the same event is taken.
    const ok = await postJson(event);
    expect(ok).toMatchObject({ status: 200, body: { received: true, status: "accepted" }, outcome: { status: "processed" } });
    expect((await paymentRow(db, seed.payment.id)).status).toBe("succeeded");
  });

  it("a delivery signed 299 s ago is still inside the tolerance", async () => {
    const event = stripeEvent({ type: "customer.created", object: { id: "cus_x", object: "customer" } });
    expect((await post(event, { timestamp: nowSeconds() - 299 })).status).toBe(200);
    await waitForProcessed(event.id);
  });

  it("a signed body that is not an event is refused too", async () => {
    expect((await post("not json at all")).status).toBe(400);
    expect((await post({ hello: "world" })).status).toBe(400);
    expect(logged("warn")).toHaveLength(2);
  });

  it("an oversized body is refused before it is read (413)", async () => {
    const res = await post({ id: "evt_big", padding: "x".repeat(1_100_000) });
    expect(res.status).toBe(413);
  });
});

describe("event ids: recorded first, duplicates acknowledged and ignored", () => {
  it("the same event delivered three times is processed once", async () => {
    const seed = await chargedButUnrecorded(ctx(db), catalog);
    const event = stripeEvent({ type: "payment_intent.succeeded", object: paymentIntent(seed.payment, "succeeded") });
    const first = await postJson(event);
    const second = await postJson(event);
    const third = await postJson(event, { timestamp: nowSeconds() - 10 });
    expect([first.outcome?.status, second.outcome?.status, third.outcome?.status]).toEqual(["processed", "duplicate", "duplicate"]);
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);

    const row = await eventRow(db, event.id);
    expect(row).toMatchObject({ type: "payment_intent.succeeded", livemode: false, error: null });
    expect(row?.processedAt).toBeInstanceOf(Date);
    expect((await paymentRow(db, seed.payment.id)).status).toBe("succeeded");
    expect(await eventsFor(db, seed.invoiceId, "invoice.paid")).toHaveLength(1);
    expect(await historyOf(db, seed.subscriptionId)).toEqual([
      { from: null, to: "incomplete", reason: "created" },
      { from: "incomplete", to: "active", reason: "invoice paid" },
    ]);
  });

  it("an event type without a handler is recorded and acknowledged", async () => {
    const event = stripeEvent({ type: "customer.subscription.created", object: { id: "sub_stripe", object: "subscription" } });
    expect(await postJson(event)).toMatchObject({ status: 200, outcome: { status: "ignored", note: "no handler for customer.subscription.created" } });
    const row = await eventRow(db, event.id);
    expect(row?.processedAt).toBeInstanceOf(Date);
    expect(row?.error).toBe("ignored: no handler for customer.subscription.created");
    expect(await postJson(event)).toMatchObject({ status: 200, body: { status: "duplicate" } });
  });

  it("a payload that is not the object its type promises is recorded as malformed and acknowledged (retrying cannot fix it)", async () => {
    const event = stripeEvent({ type: "charge.refunded", object: { id: "ch_1", object: "charge", amount: "ten" } });
    const res = await postJson(event);
    expect(res).toMatchObject({ status: 200, outcome: { status: "ignored" } });
    expect((await eventRow(db, event.id))?.error).toMatch(/^malformed: charge\.refunded: data\.object\.amount/);
  });

  it("the route answers once the event is recorded: 200 accepted before the handler runs, processed after the response", async () => {
    const seed = await chargedButUnrecorded(ctx(db), catalog);
    const event = stripeEvent({ type: "payment_intent.succeeded", object: paymentIntent(seed.payment, "succeeded") });
    // Hold the handler's gateway re-read until the response is in hand.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const real = sandboxGateway.retrieveCharge.bind(sandboxGateway);
    vi.spyOn(sandboxGateway, "retrieveCharge").mockImplementationOnce(async (request) => {
      await gate;
      return real(request);
    });
    const res = await post(event);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, event: event.id, status: "accepted" });
    expect(await eventRow(db, event.id)).toMatchObject({ processedAt: null, attempts: 0 });
    expect((await paymentRow(db, seed.payment.id)).status).toBe("pending");
    release();
    expect(outcomeOf(await waitForProcessed(event.id))).toEqual({ status: "processed" });
    expect(await eventRow(db, event.id)).toMatchObject({ attempts: 1, error: null });
    expect((await paymentRow(db, seed.payment.id)).status).toBe("succeeded");
  });

  it("a handler that fails after the acknowledgement keeps nothing of its work, and the sweeper processes the event", async () => {
    const seed = await chargedButUnrecorded(ctx(db), catalog);
    const event = stripeEvent({ type: "payment_intent.succeeded", object: paymentIntent(seed.payment, "succeeded") });
    const retrieve = vi.spyOn(sandboxGateway, "retrieveCharge").mockRejectedValueOnce(new Error("gateway timed out"));

    const failed = await postJson(event);
    expect(failed).toMatchObject({ status: 200, body: { status: "accepted" }, outcome: { status: "failed", error: "gateway timed out" } });
    const errors = takeLogged("error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toContain("the sweeper retries it");
    const row = await eventRow(db, event.id);
    expect(row).toMatchObject({ processedAt: null, error: "gateway timed out", attempts: 1 });
    expect((await paymentRow(db, seed.payment.id)).status).toBe("pending");

    // The sweeper leaves a row received moments ago to its own delivery's run …
    expect(await processPendingStripeEvents(db, new Date())).toMatchObject({ processed: 0, failed: 0 });
    // … and takes it once the grace period is over.
    expect(await processPendingStripeEvents(db, new Date(Date.now() + SWEEP_GRACE_MS + 1_000))).toMatchObject({ processed: 1, failed: 0 });
    expect(retrieve).toHaveBeenCalledTimes(2);
    const after = await eventRow(db, event.id);
    expect(after).toMatchObject({ error: null, attempts: 2 });
    expect(after?.processedAt).toBeInstanceOf(Date);
    expect((await paymentRow(db, seed.payment.id)).status).toBe("succeeded");
    expect(await eventsFor(db, seed.invoiceId, "invoice.paid")).toHaveLength(1);
    expect(await postJson(event)).toMatchObject({ status: 200, body: { status: "duplicate" } });
    expect(await processPendingStripeEvents(db, new Date(Date.now() + SWEEP_GRACE_MS + 1_000))).toMatchObject({ processed: 0 });
  });

  it("a redelivery of an event whose processing failed (Stripe's retry, a dashboard resend) processes it", async () => {
    const seed = await chargedButUnrecorded(ctx(db), catalog);
    const event = stripeEvent({ type: "payment_intent.succeeded", object: paymentIntent(seed.payment, "succeeded") });
    vi.spyOn(sandboxGateway, "retrieveCharge").mockRejectedValueOnce(new Error("gateway timed out"));
    expect((await postJson(event)).outcome).toEqual({ status: "failed", error: "gateway timed out" });
    expect(takeLogged("error")).toHaveLength(1);
    expect(await postJson(event)).toMatchObject({ status: 200, body: { status: "accepted" }, outcome: { status: "processed" } });
    expect(await eventRow(db, event.id)).toMatchObject({ error: null, attempts: 2 });
    expect(await eventsFor(db, seed.invoiceId, "invoice.paid")).toHaveLength(1);
  });

  it("a failure inside the handler's transaction rolls back its writes, then the sweeper applies them once", async () => {
    const seed = await chargedButUnrecorded(ctx(db), catalog);
    const event = stripeEvent({ type: "payment_intent.succeeded", object: paymentIntent(seed.payment, "succeeded") });
    // The database refuses the final bookkeeping write once (as a dropped connection would).
    const realTransaction = db.transaction.bind(db);
    const spy = vi.spyOn(db, "transaction").mockImplementationOnce(async (fn, config) =>
      realTransaction(async (tx) => {
        const result = await fn(tx);
        throw Object.assign(new Error("terminating connection due to administrator command"), { result });
      }, config),
    );
    expect((await postJson(event)).outcome).toEqual({ status: "failed", error: "terminating connection due to administrator command" });
    expect(takeLogged("error")).toHaveLength(1);
    spy.mockRestore();
    expect((await paymentRow(db, seed.payment.id)).status).toBe("pending");
    expect(await eventsFor(db, seed.invoiceId, "invoice.paid")).toHaveLength(0);
    expect((await eventRow(db, event.id))?.processedAt).toBeNull();

    expect(await processPendingStripeEvents(db, new Date(Date.now() + SWEEP_GRACE_MS + 1_000))).toMatchObject({ processed: 1 });
    expect((await paymentRow(db, seed.payment.id)).status).toBe("succeeded");
    expect(await eventsFor(db, seed.invoiceId, "invoice.paid")).toHaveLength(1);
    const [stored] = await db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
    expect(stored).toMatchObject({ error: null, attempts: 2 });
  });

  it("the sweeper gives up after 10 attempts and leaves the error for staff; it is a local-runner job every 5 s", async () => {
    const seed = await chargedButUnrecorded(ctx(db), catalog);
    const event = stripeEvent({ type: "payment_intent.succeeded", object: paymentIntent(seed.payment, "succeeded") });
    const retrieve = vi.spyOn(sandboxGateway, "retrieveCharge").mockRejectedValue(new Error("gateway down"));
    expect((await postJson(event)).outcome).toMatchObject({ status: "failed" });

    const later = new Date(Date.now() + SWEEP_GRACE_MS + 1_000);
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      const result = await processPendingStripeEvents(db, later);
      expect(result).toMatchObject({ processed: 0, failed: 1, gaveUp: attempt === MAX_ATTEMPTS ? [event.id] : [] });
    }
    expect(retrieve).toHaveBeenCalledTimes(MAX_ATTEMPTS);
    expect(await eventRow(db, event.id)).toMatchObject({ processedAt: null, error: "gateway down", attempts: MAX_ATTEMPTS });
    expect(logged("warn")).toHaveLength(MAX_ATTEMPTS - 2);
    const errors = takeLogged("error");
    expect(errors).toHaveLength(2); // the route's run, then giving up
    expect(errors[1]?.msg).toContain("left for staff");
    // No further attempts.
    expect(await processPendingStripeEvents(db, later)).toEqual({ processed: 0, failed: 0, gaveUp: [] });
    expect(retrieve).toHaveBeenCalledTimes(MAX_ATTEMPTS);
    expect((await paymentRow(db, seed.payment.id)).status).toBe("pending");
    expect(jobs.find((j) => j.name === "stripe.events.process")).toMatchObject({ everyMs: 5_000 });
  });
});
