import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { InngestTestEngine } from "@inngest/test";
import { getDb, type Db } from "@/db/client";
import { invoices, subscriptions } from "@/db/schema";
import { renewalsFanOut } from "@/inngest/functions/renewals-fan-out";
import { subscriptionProcess } from "@/inngest/functions/subscription-process";
import { selectDueSubscriptions } from "@/lib/services/billing-run/run-due-subscriptions";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { ctx, DAY_MS, makeCatalog, makeCustomer, NOW, type Catalog } from "../services/support";
import { mockSends, sentBatches, tick } from "./support";

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
  it("sends one event per due subscription with a deterministic id, the same for the same due state", async () => {
    const a = await subscriber();
    const b = await subscriber();
    const run = () => new InngestTestEngine({ function: renewalsFanOut }).execute({ events: tick(later), steps: mockSends("send-due", 1) });

    const first = await run();
    const batches = sentBatches(first.ctx);
    expect(batches).toHaveLength(1);
    const sent = batches[0]!;
    for (const { subscription, customerId } of [a, b]) {
      const due = subscription.nextDueAt!.toISOString();
      expect(sent).toContainEqual({
        name: "billing/subscription.due",
        id: `renew:${subscription.id}:${due}`,
        data: { subscriptionId: subscription.id, customerId, nextDueAt: due, now: later.toISOString() },
      });
    }
    expect(first.result).toEqual({ now: later.toISOString(), sent: sent.length });

    const again = await run();
    expect(sentBatches(again.ctx)[0]!.map((e) => e.id)).toEqual(sent.map((e) => e.id));

    // Nothing due before the renewal date: no send step at all.
    const early = await new InngestTestEngine({ function: renewalsFanOut }).execute({ events: tick(NOW) });
    expect(early.ctx.step.sendEvent).not.toHaveBeenCalled();
    expect(early.result).toEqual({ now: NOW.toISOString(), sent: 0 });
  });

  it("chunks at 500 per select step and per send step, paging on from the last item", async () => {
    const page = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => {
        const id = `sub_${String(from + i).padStart(4, "0")}`;
        const nextDueAt = new Date(NOW.getTime() + (from + i) * 1000).toISOString();
        return { name: "billing/subscription.due", id: `renew:${id}:${nextDueAt}`, data: { subscriptionId: id, customerId: "cus_x", nextDueAt, now: later.toISOString() } };
      });
    const { ctx: c, result } = await new InngestTestEngine({ function: renewalsFanOut }).execute({
      events: tick(later),
      steps: [
        { id: "select-due-0", handler: () => page(0, 500) },
        { id: "select-due-1", handler: () => page(500, 500) },
        { id: "select-due-2", handler: () => page(1000, 1) },
        ...mockSends("send-due", 3),
      ],
    });
    expect(sentBatches(c).map((b) => b.length)).toEqual([500, 500, 1]);
    expect(sentBatches(c)[2]![0]!.id).toBe(page(1000, 1)[0]!.id);
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

describe("billing/subscription.process", () => {
  it("config: triggered by billing/subscription.due, one at a time per customer, 5 retries", () => {
    const config = subscriptionProcess["getConfig"]({ baseUrl: new URL("http://localhost/api/inngest"), appPrefix: "tally" })[0]!;
    expect(config.triggers).toEqual([{ event: "billing/subscription.due" }]);
    expect(config.concurrency).toEqual([{ key: "event.data.customerId", limit: 1 }]);
    expect(config.steps.step.retries).toEqual({ attempts: 5 });
  });

  it("renews the due subscription through processDueSubscription; run twice, one renewal invoice", async () => {
    const { subscription, customerId } = await subscriber();
    const due = subscription.nextDueAt!.toISOString();
    const event = {
      name: "billing/subscription.due",
      id: `renew:${subscription.id}:${due}`,
      data: { subscriptionId: subscription.id, customerId, nextDueAt: due, now: later.toISOString() },
    };
    const run = () => new InngestTestEngine({ function: subscriptionProcess }).execute({ events: [event] });

    const first = await run();
    expect(first.result).toMatchObject({ subscription: subscription.id });
    expect(first.ctx.step.run).toHaveBeenCalledWith("process", expect.any(Function));
    const [renewal, ...more] = await renewals(subscription.id);
    expect(more).toHaveLength(0);
    expect(renewal?.status).toBe("paid");
    const [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id));
    expect(row!.nextDueAt!.getTime()).toBeGreaterThan(later.getTime());

    const second = await run();
    expect(second.result).toEqual({ subscription: subscription.id, steps: 0 });
    expect(await renewals(subscription.id)).toHaveLength(1);
  });
});
