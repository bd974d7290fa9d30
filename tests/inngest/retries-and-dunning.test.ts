import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, like } from "drizzle-orm";
import { InngestTestEngine } from "@inngest/test";
import { getDb, type Db } from "@/db/client";
import { customers, invoices, outboxEvents, subscriptions } from "@/db/schema";
import { invoiceDunningFlow, dunningRun } from "@/inngest/functions/dunning";
import { paymentRetriesFanOut } from "@/inngest/functions/payment-retries-fan-out";
import { paymentRetry } from "@/inngest/functions/payment-retry";
import { systemActor } from "@/lib/actor";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { processDueSubscription } from "@/lib/services/subscriptions/process-due";
import { ctx, DAY_MS, NOW, paymentsOf } from "../services/support";
import { mockSends, sentBatches, tick } from "./support";
import { makeCatalog, makeCustomer, type Catalog } from "../factories";

delete process.env.RESEND_API_KEY;

let db: Db;
let catalog: Catalog;
beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

const later = new Date(NOW.getTime() + 40 * DAY_MS);
const day = (from: Date, n: number) => new Date(from.getTime() + n * DAY_MS);

/** A real-time subscriber whose renewal (processed at `later`) failed on 4000 0000 0000 0341: an open invoice on the retry schedule. */
async function failedRenewal() {
  const customer = await makeCustomer(ctx(db));
  const { subscription } = await createSubscription(ctx(db), { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
  await attachPaymentMethod(ctx(db), { customerId: customer.id, token: "pm_card_chargeCustomerFail", makeDefault: true });
  await processDueSubscription({ db, actor: systemActor("test"), now: later }, subscription.id);
  const [renewal] = await db.select().from(invoices).where(and(eq(invoices.subscriptionId, subscription.id), eq(invoices.billingReason, "subscription_cycle")));
  expect(renewal).toMatchObject({ status: "open" });
  expect(renewal!.nextPaymentAttemptAt).not.toBeNull();
  return { customerId: customer.id, subscription, renewal: renewal! };
}

describe("payment retries on Inngest", () => {
  it("fan-out ids are retry:<invoice>:<next_payment_attempt_at>, the same for the same due state; the per-item function attempts once", async () => {
    const { customerId, renewal } = await failedRenewal();
    const dueAt = renewal.nextPaymentAttemptAt!.toISOString();
    const runAt = day(later, 2);
    const fanOut = () => new InngestTestEngine({ function: paymentRetriesFanOut }).execute({ events: tick(runAt), steps: mockSends("send-due", 1) });

    const first = sentBatches((await fanOut()).ctx)[0]!;
    const event = { name: "billing/payment.retry_due", id: `retry:${renewal.id}:${dueAt}`, data: { invoiceId: renewal.id, customerId, nextPaymentAttemptAt: dueAt, now: runAt.toISOString() } };
    expect(first).toContainEqual(event);
    expect(sentBatches((await fanOut()).ctx)[0]!.map((e) => e.id)).toEqual(first.map((e) => e.id));

    const before = (await paymentsOf(db, renewal.id)).length;
    const retry = () => new InngestTestEngine({ function: paymentRetry }).execute({ events: [event] });
    expect((await retry()).result).toEqual({ invoice: renewal.id, attempted: true, paid: false });
    const after = await paymentsOf(db, renewal.id);
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ status: "failed", idempotencyKey: `inv_${renewal.id}_attempt_${before + 1}` });
    // A replay of the same event: no longer due by its `now`, nothing charged.
    expect((await retry()).result).toEqual({ invoice: renewal.id, attempted: false, paid: false });
    expect(await paymentsOf(db, renewal.id)).toHaveLength(before + 1);
  });
});

describe("dunning on Inngest", () => {
  const firstFailureAt = new Date("2026-04-19T01:00:00.000Z");
  const event = { name: "billing/invoice.dunning", data: { invoiceId: "inv_test", customerId: "cus_test", firstFailureAt: firstFailureAt.toISOString() } };
  const sleeps = ["reminder", "warning", "blocked"].map((s) => ({ id: `sleep-until-${s}`, handler() {} }));

  it("sleeps until each dunning date of the configured schedule and acts after re-reading an open invoice", async () => {
    const { ctx: c, result } = await new InngestTestEngine({ function: invoiceDunningFlow }).execute({
      events: [event],
      steps: [
        { id: "load-schedule", handler: () => ({ reminder: 2, warning: 5, blocked: 10 }) },
        { id: "load-time-zone", handler: () => "UTC" },
        ...sleeps,
        ...["reminder", "warning", "blocked"].flatMap((s) => [
          { id: `reload-invoice-${s}`, handler: () => ({ status: "open" }) },
          { id: `act-${s}`, handler: () => ({ stages: [s] }) },
        ]),
      ],
    });
    expect(c.step.sleepUntil.mock.calls).toEqual([
      ["sleep-until-reminder", day(firstFailureAt, 2)],
      ["sleep-until-warning", day(firstFailureAt, 5)],
      ["sleep-until-blocked", day(firstFailureAt, 10)],
    ]);
    expect(result).toEqual({ invoice: "inv_test", stoppedAt: null, status: "open" });
  });

  it("stops as soon as the re-read invoice is paid: no further sleep, no action", async () => {
    const acted: string[] = [];
    const { ctx: c, result } = await new InngestTestEngine({ function: invoiceDunningFlow }).execute({
      events: [event],
      steps: [
        { id: "load-schedule", handler: () => ({ reminder: 3, warning: 7, blocked: 14 }) },
        { id: "load-time-zone", handler: () => "UTC" },
        ...sleeps,
        { id: "reload-invoice-reminder", handler: () => ({ status: "open" }) },
        { id: "act-reminder", handler: () => acted.push("reminder") },
        { id: "reload-invoice-warning", handler: () => ({ status: "paid" }) },
        { id: "act-warning", handler: () => acted.push("warning") },
      ],
    });
    expect(c.step.sleepUntil.mock.calls.map((call) => call[1])).toEqual([day(firstFailureAt, 3), day(firstFailureAt, 7)]);
    expect(acted).toEqual(["reminder"]);
    expect(result).toEqual({ invoice: "inv_test", stoppedAt: "warning", status: "paid" });
  });

  it("on a real failing invoice: the cron fans out dunning:<invoice>:<first failure>, the flow walks reminder → warning → blocked once", async () => {
    const { customerId, subscription, renewal } = await failedRenewal();
    const [firstPayment] = await paymentsOf(db, renewal.id);
    const failedAt = (firstPayment!.settledAt ?? firstPayment!.createdAt).toISOString();

    const cron = await new InngestTestEngine({ function: dunningRun }).execute({ events: tick(day(later, 1)), steps: mockSends("send-dunning", 1) });
    const dunningEvent = sentBatches(cron.ctx)[0]!.find((e) => e.data.invoiceId === renewal.id);
    expect(dunningEvent).toEqual({ name: "billing/invoice.dunning", id: `dunning:${renewal.id}:${failedAt}`, data: { invoiceId: renewal.id, customerId, firstFailureAt: failedAt } });

    const flow = () => new InngestTestEngine({ function: invoiceDunningFlow }).execute({ events: [dunningEvent!], steps: sleeps });
    const first = await flow();
    expect(first.result).toEqual({ invoice: renewal.id, stoppedAt: null, status: "open" });
    expect(first.ctx.step.sleepUntil.mock.calls.map((call) => call[1])).toEqual([3, 7, 14].map((n) => day(new Date(failedAt), n)));
    const stages = () =>
      db.select({ type: outboxEvents.type }).from(outboxEvents).where(and(eq(outboxEvents.customerId, customerId), like(outboxEvents.type, "customer.dunning.%"))).orderBy(asc(outboxEvents.createdAt));
    expect((await stages()).map((s) => s.type)).toEqual(["customer.dunning.reminder", "customer.dunning.warning", "customer.dunning.blocked"]);
    const [customer] = await db.select({ status: customers.status }).from(customers).where(eq(customers.id, customerId));
    expect(customer?.status).toBe("blocked");
    const [sub] = await db.select({ status: subscriptions.status }).from(subscriptions).where(eq(subscriptions.id, subscription.id));
    expect(sub?.status).toBe("unpaid");

    // Replayed: every stage is recorded, nothing more happens.
    await flow();
    expect(await stages()).toHaveLength(3);
  });
});
