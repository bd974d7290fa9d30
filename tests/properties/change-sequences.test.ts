import { eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { balanceTransactions, subscriptionItems } from "@/db/schema";
import { cancelSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { pauseSubscription } from "@/lib/services/subscriptions/pause-subscription";
import { previewSubscriptionUpdate, upcomingInvoice } from "@/lib/services/subscriptions/preview";
import { updateSubscription, type UpdateSubscriptionInput } from "@/lib/services/subscriptions/update-subscription";
import { balanceOf, clockCustomer, draftMoney, invoiceMoney, invoicesOf, pendingItemsOf, pricedLine, subscriptionRow } from "../scenarios/support";
import { inBothApplyModes } from "../scenarios/apply-modes";
import { DAY_MS } from "@/lib/time";
import { makePlan } from "../factories";

/**
 * R10 for changes, R12 and R14 over random sequences of 1–4 operations on a monthly subscription:
 * - a quantity change now (create_prorations or always_invoice),
 * - a plan change at the period end,
 * - advancing the clock to a random instant within the next two periods.
 * After each change the preview taken just before it equals what it created (the invoice now, or
 * the pending items), and its "next invoice" equals the upcoming invoice after the change; before
 * each advance the upcoming invoice equals the first invoice the advance produces. At the end every
 * invoice satisfies the totals invariants, all in integers, and the balance never goes negative.
 */
const ZONES = ["UTC", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Chatham", "Australia/Lord_Howe"] as const;

const opArb = fc.oneof(
  fc.record({ kind: fc.constant("quantity" as const), quantity: fc.integer({ min: 1, max: 10 }), behavior: fc.constantFrom("create_prorations" as const, "always_invoice" as const) }),
  fc.record({ kind: fc.constant("plan_at_period_end" as const), plan: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant("advance" as const), permille: fc.integer({ min: 1, max: 2000 }) }),
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

const setupArb = fc.record({
  start: fc.integer({ min: Date.UTC(2027, 0, 1), max: Date.UTC(2028, 11, 31) }).map((ms) => new Date(ms)),
  timezone: fc.constantFrom(...ZONES),
  plans: fc.tuple(...[0, 1, 2].map(() => fc.record({ amount: fc.integer({ min: 100, max: 50_000 }), taxBehavior: fc.constantFrom("inclusive" as const, "exclusive" as const) }))),
  quantity: fc.integer({ min: 1, max: 5 }),
});
type Setup = typeof setupArb extends fc.Arbitrary<infer T> ? T : never;

/** A subscription on a test clock after running `ops`, each checked against its preview. */
async function runOps(setup: Setup, ops: Op[]) {
  const clock = await clockCustomer(setup.start, { timezone: setup.timezone });
  const { ctx, advance } = clock;
  const plans = [];
  for (const [i, p] of setup.plans.entries()) plans.push(await makePlan(ctx.db, { code: `p${i}`, name: `Plan ${i}`, unitAmount: p.amount, taxBehavior: p.taxBehavior }));
  const { subscription } = await createSubscription(ctx, { customerId: clock.customerId, items: [{ priceId: plans[0]!.priceId, quantity: setup.quantity }] });
  const id = subscription.id;
  let now = setup.start;

  /** Advance to `target`; if a renewal falls due on the way, it is the previewed upcoming invoice. */
  const advanceChecked = async (target: Date) => {
    const upcoming = await upcomingInvoice(ctx, id).catch(() => null);
    const before = (await invoicesOf(id)).length;
    await advance(target);
    now = target;
    const after = await invoicesOf(id);
    if (upcoming && target >= upcoming.date) {
      const first = after[before]!;
      expect(first.createdAt).toEqual(upcoming.date);
      expect({ start: first.periodStart, end: first.periodEnd }).toEqual(upcoming.period);
      expect(invoiceMoney(first)).toEqual(draftMoney(upcoming.invoice));
    } else if (upcoming) {
      expect(after).toHaveLength(before);
    }
  };

  for (const op of ops) {
    const [item] = await ctx.db.select().from(subscriptionItems).where(eq(subscriptionItems.subscriptionId, id));
    if (!item) throw new Error("no item");
    if (op.kind === "advance") {
      const sub = await subscriptionRow(id);
      const length = sub.currentPeriodEnd.getTime() - sub.currentPeriodStart.getTime();
      await advanceChecked(new Date(now.getTime() + Math.max(1000, Math.floor((length * op.permille) / 1000))));
      continue;
    }
    const input: UpdateSubscriptionInput =
      op.kind === "quantity"
        ? { items: [{ priceId: item.priceId, quantity: op.quantity }], prorationBehavior: op.behavior, effective: "now" }
        : { items: [{ priceId: plans[op.plan]!.priceId, quantity: item.quantity }], prorationBehavior: "create_prorations", effective: "period_end" };
    const pendingBefore = new Set((await pendingItemsOf(id, { open: true })).map((p) => p.id));
    const preview = await previewSubscriptionUpdate(ctx, id, input);
    const { invoice } = await updateSubscription(ctx, id, input);
    if (preview.invoiceNow) {
      expect(invoice).not.toBeNull();
      const created = (await invoicesOf(id)).find((i) => i.id === invoice?.id)!;
      expect(preview.lines.map(pricedLine)).toEqual(created.lines.map(pricedLine));
      expect(invoiceMoney(created)).toEqual(draftMoney(preview.invoiceNow));
      expect(created.amountDue).toBe(preview.amountDueNow);
    } else {
      expect(invoice).toBeNull();
      expect(preview.amountDueNow).toBe(0);
      const added = (await pendingItemsOf(id, { open: true })).filter((p) => !pendingBefore.has(p.id));
      expect(preview.lines.map(pricedLine)).toEqual(added.map(pricedLine));
    }
    // "…then $Y on <date>": the preview's next invoice is the upcoming invoice after the change.
    const upcoming = await upcomingInvoice(ctx, id);
    expect(preview.next?.date).toEqual(upcoming.date);
    expect(preview.next && draftMoney(preview.next.invoice)).toEqual(draftMoney(upcoming.invoice));
  }
  return { ...clock, id, now: () => now, advanceChecked };
}

/** R12 / R14 on every invoice of the subscription, and the customer's balance against its ledger. */
async function checkInvariants(ctx: { db: Awaited<ReturnType<typeof clockCustomer>>["ctx"]["db"] }, id: string, customerId: string) {
  for (const inv of await invoicesOf(id)) {
    const money = [inv.subtotal, inv.discountTotal, inv.tax, inv.total, inv.creditApplied, inv.amountDue, inv.amountPaid, ...inv.lines.flatMap((l) => [l.amount, ...l.taxAmounts.map((t) => t.amount)])];
    expect(money.every(Number.isInteger)).toBe(true);
    const exclusiveTax = inv.lines.flatMap((l) => l.taxAmounts.filter((t) => !t.inclusive)).reduce((s, t) => s + t.amount, 0);
    expect(inv.subtotal).toBe(inv.lines.reduce((s, l) => s + l.amount, 0));
    expect(inv.tax).toBe(inv.lines.flatMap((l) => l.taxAmounts).reduce((s, t) => s + t.amount, 0));
    expect(inv.total).toBe(Math.max(0, inv.subtotal - inv.discountTotal + exclusiveTax));
    // A debit carried from an earlier invoice below the minimum charge is collected on top (decision 023).
    expect(inv.amountDue).toBe(inv.total - inv.creditApplied + inv.debitApplied);
    expect(inv.amountDue).toBeGreaterThanOrEqual(0);
    expect(inv.status).toBe("paid");
  }
  const balance = await balanceOf(customerId);
  // The balance goes below zero only by amounts carried from invoices below the minimum charge, and
  // never by more than was carried: nothing is lost, a canceled customer keeps the debit on balance
  // for their next invoice, as Stripe Billing does.
  const carried = (await invoicesOf(id)).reduce((s, inv) => s + inv.carriedToBalance, 0);
  expect(balance).toBeGreaterThanOrEqual(-carried);
  const ledger = await ctx.db.select().from(balanceTransactions).where(eq(balanceTransactions.customerId, customerId));
  expect(ledger.reduce((s, t) => s + t.amount, 0)).toBe(balance);
  expect(ledger.every((t) => t.endingBalance >= -carried)).toBe(true);
  expect(ledger.filter((t) => t.amount < 0 && t.type === "invoice_too_small").reduce((s, t) => s - t.amount, 0)).toBe(carried);
}

const endArb = fc.oneof(
  fc.record({ kind: fc.constant("cancel_now" as const), prorate: fc.boolean() }),
  fc.record({ kind: fc.constant("cancel_at_period_end" as const) }),
  fc.record({ kind: fc.constant("pause_until_auto_cancel" as const) }),
);

describe("property: change sequences (R10, R12, R14)", () => {
  it("previews equal what changes and renewals create; totals hold on every invoice", async () => {
    await fc.assert(
      fc.asyncProperty(setupArb, fc.array(opArb, { minLength: 1, maxLength: 4 }), inBothApplyModes(async (setup, ops) => {
        const { ctx, id, customerId } = await runOps(setup, ops);
        await checkInvariants(ctx, id, customerId);
      })),
      { numRuns: 15 },
    );
  });

  it("however it ends (cancel now, at the period end, paused until auto-cancel), nothing is left unbilled", async () => {
    await fc.assert(
      fc.asyncProperty(setupArb, fc.array(opArb, { minLength: 1, maxLength: 3 }), endArb, inBothApplyModes(async (setup, ops, end) => {
        const { ctx, id, customerId, now, advanceChecked } = await runOps(setup, ops);
        if (end.kind === "cancel_now") {
          await cancelSubscription(ctx, id, { atPeriodEnd: false, prorate: end.prorate });
        } else if (end.kind === "cancel_at_period_end") {
          await cancelSubscription(ctx, id, { atPeriodEnd: true });
          await advanceChecked(new Date((await subscriptionRow(id)).currentPeriodEnd.getTime() + DAY_MS));
        } else {
          await pauseSubscription(ctx, id, { resumesAt: null });
          await advanceChecked(new Date(now().getTime() + 91 * DAY_MS));
        }
        expect((await subscriptionRow(id)).status).toBe("canceled");
        // Every proration waiting for a next invoice was settled on a final one.
        expect(await pendingItemsOf(id, { open: true })).toEqual([]);
        await checkInvariants(ctx, id, customerId);
      })),
      { numRuns: 15 },
    );
  });
});
