import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { InngestTestEngine } from "@inngest/test";
import { getDb, type Db } from "@/db/client";
import { invoices, subscriptions } from "@/db/schema";
import { renewalsFanOut } from "@/inngest/functions/renewals-fan-out";
import { subscriptionsBill } from "@/inngest/functions/subscriptions-bill";
import { renewEventId } from "@/inngest/events";
import { selectDueSubscriptions } from "@/lib/services/billing-run/run-due-subscriptions";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { ctx, DAY_MS, NOW } from "../services/support";
import { mockSends, sentBatches, tick } from "./support";
import { makeCatalog, makeCustomer, type Catalog } from "../factories";

delete process.env.RESEND_API_KEY;

let db: Db;
let catalog: Catalog;
beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

/** A monthly subscription on real time, first invoice paid at NOW; its renewal falls due a month later. */
async function subscriber() {
  const customer = await makeCustomer(ctx(db));
  const { subscription } = await createSubscription(ctx(db), { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
  return { customerId: customer.id, subscription };
}

const renewals = (subscriptionId: string) =>
  db.select().from(invoices).where(and(eq(invoices.subscriptionId, subscriptionId), eq(invoices.billingReason, "subscription_cycle")));

const later = new Date(NOW.getTime() + 40 * DAY_MS);

describe("billing/renewals.fan-out", () => {
  it("sends each page of due subscriptions as one event with a deterministic id, the same for the same due state", async () => {
    const a = await subscriber();
    const b = await subscriber();
    const run = () => new InngestTestEngine({ function: renewalsFanOut }).execute({ events: tick(later), steps: mockSends("send-due", 1) });

    const first = await run();
    const batches = sentBatches(first.ctx);
    expect(batches).toHaveLength(1);
    const [event, ...others] = batches[0]!;
    expect(others).toEqual([]);
    const ids = event!.data.subscriptionIds as string[];
    expect(ids).toEqual(expect.arrayContaining([a.subscription.id, b.subscription.id]));
    const due = await selectDueSubscriptions(db, later, { limit: 1000 });
    expect(ids).toEqual(due.map((d) => d.id));
    expect(event).toEqual({
      name: "billing/subscriptions.due",
      id: renewEventId(due.map((d) => ({ id: d.id, nextDueAt: d.nextDueAt.toISOString() }))),
      data: { subscriptionIds: ids, now: later.toISOString() },
    });
    expect(event!.id).toMatch(/^renew:[0-9a-f]{32}$/);
    expect(first.result).toEqual({ now: later.toISOString(), sent: ids.length });

    // The same due state, the same id (Inngest drops it); another due instant, another id.
    const again = await run();
    expect(sentBatches(again.ctx)[0]!.map((e) => e.id)).toEqual([event!.id]);
    expect(renewEventId([{ id: a.subscription.id, nextDueAt: later.toISOString() }])).not.toBe(renewEventId([{ id: a.subscription.id, nextDueAt: NOW.toISOString() }]));

    // Nothing due before the renewal date: no send step at all.
    const early = await new InngestTestEngine({ function: renewalsFanOut }).execute({ events: tick(NOW) });
    expect(early.ctx.step.sendEvent).not.toHaveBeenCalled();
    expect(early.result).toEqual({ now: NOW.toISOString(), sent: 0 });
  });

  it("pages at 500 per select step, one event per page, paging on from the last item", async () => {
    const page = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `sub_${String(from + i).padStart(4, "0")}`, nextDueAt: new Date(NOW.getTime() + (from + i) * 1000).toISOString() }));
    const { ctx: c, result } = await new InngestTestEngine({ function: renewalsFanOut }).execute({
      events: tick(later),
      steps: [
        { id: "select-due-0", handler: () => page(0, 500) },
        { id: "select-due-1", handler: () => page(500, 500) },
        { id: "select-due-2", handler: () => page(1000, 1) },
        ...mockSends("send-due", 3),
      ],
    });
    const sent = sentBatches(c);
    expect(sent.map((b) => b.length)).toEqual([1, 1, 1]);
    expect(sent.map((b) => (b[0]!.data.subscriptionIds as string[]).length)).toEqual([500, 500, 1]);
    expect(sent[2]![0]).toEqual({ name: "billing/subscriptions.due", id: renewEventId(page(1000, 1)), data: { subscriptionIds: ["sub_1000"], now: later.toISOString() } });
    expect(result).toEqual({ now: later.toISOString(), sent: 1001 });
  });

  it("the shared query pages by (next_due_at, id) without gaps or repeats", async () => {
    const all = await selectDueSubscriptions(db, later, { limit: 1000 });
    expect(all.length).toBeGreaterThanOrEqual(2);
    const paged = [];
    let after: { nextDueAt: Date; id: string } | undefined;
    for (;;) {
      const [row] = await selectDueSubscriptions(db, later, { limit: 1, after });
      if (!row) break;
      paged.push(row);
      after = { nextDueAt: row.nextDueAt, id: row.id };
    }
    expect(paged).toEqual(all);
  });
});

describe("billing/subscriptions.bill", () => {
  it("config: triggered by billing/subscriptions.due, two pages at a time, 5 retries", () => {
    const config = subscriptionsBill["getConfig"]({ baseUrl: new URL("http://localhost/api/inngest"), appPrefix: "tally" })[0]!;
    expect(config.triggers).toEqual([{ event: "billing/subscriptions.due" }]);
    expect(config.concurrency).toEqual([{ limit: 2 }]);
    expect(config.steps.step.retries).toEqual({ attempts: 5 });
  });

  it("bills the page through the billing run's entry point (the renewals as one batch); run twice, one renewal invoice each", async () => {
    const one = await subscriber();
    const two = await subscriber();
    const event = { name: "billing/subscriptions.due", id: "renew:test", data: { subscriptionIds: [one.subscription.id, two.subscription.id], now: later.toISOString() } };
    const run = () => new InngestTestEngine({ function: subscriptionsBill }).execute({ events: [event] });

    const first = await run();
    expect(first.result).toEqual({ subscriptions: 2, steps: 2, batched: 2, deferred: {} });
    expect(first.ctx.step.run).toHaveBeenCalledWith("bill", expect.any(Function));
    for (const { subscription } of [one, two]) {
      const [renewal, ...more] = await renewals(subscription.id);
      expect(more).toHaveLength(0);
      expect(renewal?.status).toBe("paid");
      const [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id));
      expect(row!.nextDueAt!.getTime()).toBeGreaterThan(later.getTime());
    }

    const second = await run();
    expect(second.result).toEqual({ subscriptions: 2, steps: 0, batched: 0, deferred: {} });
    expect(await renewals(one.subscription.id)).toHaveLength(1);
    expect(await renewals(two.subscription.id)).toHaveLength(1);
  });
});
