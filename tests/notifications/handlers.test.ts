import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { emails, outboxEvents } from "@/db/schema";
import { dispatchOutbox, type OutboxEvent } from "@/lib/events/outbox";
import { formatMoney } from "@/lib/format/money";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { cancelSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { pauseSubscription, resumeSubscription } from "@/lib/services/subscriptions/pause-subscription";
import { updateSubscription } from "@/lib/services/subscriptions/update-subscription";
import { makePlan, makeCatalog, makeCustomer, type Catalog } from "../factories";
import { ctx, DAY_MS, eventsFor, NOW } from "../services/support";

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

async function emailsOf(customerId: string, template?: string) {
  return db
    .select()
    .from(emails)
    .where(template ? and(eq(emails.customerId, customerId), eq(emails.template, template)) : eq(emails.customerId, customerId));
}

/** Handle every event of `type` for the entity twice, as a re-delivery would. */
async function handleTwice(entityId: string, type: string): Promise<void> {
  const rows = await eventsFor(db, entityId, type);
  expect(rows.length).toBeGreaterThan(0);
  const handle = outboxHandler(db);
  for (const row of rows) {
    const event: OutboxEvent = { id: row.id, type: row.type, customerId: row.customerId, entityId: row.entityId, payload: row.payload as Record<string, unknown> };
    await handle(event);
    await handle(event);
  }
}

describe("notification handlers: one email per event, even when handled twice", () => {
  it("customer.subscription.created → subscription-started (active), not for an incomplete subscription", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { name: "Ada" });
    const { subscription } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    await handleTwice(subscription.id, "customer.subscription.created");
    const sent = await emailsOf(customer.id, "subscription-started");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe("Welcome to Starter");
    expect(sent[0]!.text).toContain("$10.00 / month");
    expect(sent[0]!.text).toContain("incl. GST");
    expect(sent[0]!.text).toContain("10 Apr 2026");

    const declined = await makeCustomer(c, { card: "pm_card_chargeDeclined" });
    const failed = await createSubscription(c, { customerId: declined.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    expect(failed.subscription.status).toBe("incomplete");
    await handleTwice(failed.subscription.id, "customer.subscription.created");
    expect(await emailsOf(declined.id, "subscription-started")).toHaveLength(0);
  });

  it("a trialing subscription's welcome names the trial end", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const { subscription } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audTrial.id, quantity: 1 }] });
    expect(subscription.status).toBe("trialing");
    await handleTwice(subscription.id, "customer.subscription.created");
    const [sent] = await emailsOf(customer.id, "subscription-started");
    expect(sent?.subject).toBe("Your Pro trial has started");
    expect(sent?.text).toContain("24 Mar 2026");
  });

  it("customer.subscription.updated with changed items → plan-changed with the charge", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const { subscription } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    const later = ctx(db, new Date(NOW.getTime() + 10 * DAY_MS));
    const { invoice } = await updateSubscription(later, subscription.id, { items: [{ priceId: catalog.audInclusive.id, quantity: 3 }], prorationBehavior: "always_invoice", effective: "now" });
    expect(invoice?.total).toBeGreaterThan(0);
    await handleTwice(subscription.id, "customer.subscription.updated");
    const sent = await emailsOf(customer.id, "plan-changed");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain("Starter → 3 × Starter");
    expect(sent[0]!.text).toContain(`We charged ${formatMoney(invoice!.total, "aud", "en-AU")}`);
    expect(sent[0]!.text).toContain("10 Apr 2026");
  });

  it("cancel at period end (updated, cancel_at_period_end) and cancel now (deleted) → cancellation-confirmed; a refund → refund-issued", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const { subscription } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    await cancelSubscription(c, subscription.id, { atPeriodEnd: true });
    await handleTwice(subscription.id, "customer.subscription.updated");
    const scheduled = await emailsOf(customer.id, "cancellation-confirmed");
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]!.text).toContain("ends on 10 Apr 2026");

    const other = await makeCustomer(c);
    const second = await createSubscription(c, { customerId: other.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    const later = ctx(db, new Date(NOW.getTime() + 10 * DAY_MS));
    const { credited } = await cancelSubscription(later, second.subscription.id, { atPeriodEnd: false, prorate: true, refund: true });
    expect(credited).toBeGreaterThan(0);
    await handleTwice(second.subscription.id, "customer.subscription.deleted");
    const ended = await emailsOf(other.id, "cancellation-confirmed");
    expect(ended).toHaveLength(1);
    expect(ended[0]!.text).toContain("ended on 20 Mar 2026");
    expect(ended[0]!.text).toContain(`${formatMoney(credited, "aud", "en-AU")}`);

    const notes = await db.select().from(outboxEvents).where(and(eq(outboxEvents.customerId, other.id), eq(outboxEvents.type, "credit_note.created")));
    expect(notes).toHaveLength(1);
    await handleTwice(notes[0]!.entityId!, "credit_note.created");
    const refunds = await emailsOf(other.id, "refund-issued");
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.text).toContain(`${formatMoney(credited, "aud", "en-AU")}`);
    expect(refunds[0]!.text).toContain("Visa ending 4242");
    expect(refunds[0]!.text).toMatch(/CN-\d+/);
    expect(refunds[0]!.text).toContain("/i/");
  });

  it("customer.subscription.paused / resumed → subscription-paused / subscription-resumed", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const { subscription } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    const at = new Date(NOW.getTime() + 5 * DAY_MS);
    await pauseSubscription(ctx(db, at), subscription.id, {});
    await handleTwice(subscription.id, "customer.subscription.paused");
    const paused = await emailsOf(customer.id, "subscription-paused");
    expect(paused).toHaveLength(1);
    expect(paused[0]!.text).toContain("15 Mar 2026");
    await resumeSubscription(ctx(db, new Date(at.getTime() + 5 * DAY_MS)), subscription.id);
    await handleTwice(subscription.id, "customer.subscription.resumed");
    const resumed = await emailsOf(customer.id, "subscription-resumed");
    expect(resumed).toHaveLength(1);
    expect(resumed[0]!.text).toContain("$10.00 / month");
  });

  it("invoice.finalized for an open send_invoice invoice → invoice-issued with the hosted pay link", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const { invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }], collectionMethod: "send_invoice", daysUntilDue: 7 });
    expect(invoice?.status).toBe("open");
    await handleTwice(invoice!.id, "invoice.finalized");
    const sent = await emailsOf(customer.id, "invoice-issued");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe(`Invoice ${invoice!.number} for $10.00`);
    expect(sent[0]!.text).toContain(`/i/${invoice!.hostedToken}`);
    expect(sent[0]!.text).toContain("17 Mar 2026");

    // A charge_automatically invoice paid at once gets the receipt only.
    const payer = await makeCustomer(c);
    const paid = await createSubscription(c, { customerId: payer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    await handleTwice(paid.invoice!.id, "invoice.finalized");
    expect(await emailsOf(payer.id, "invoice-issued")).toHaveLength(0);
  });

  it("an invoice below the minimum charge, carried to the balance: no receipt (nothing was received) and no invoice email", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const { priceId } = await makePlan(db, { code: "addon", name: "Add-on", unitAmount: 30 });
    const { invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId, quantity: 1 }] });
    expect(invoice).toMatchObject({ status: "paid", carriedToBalance: 30 });
    await handleTwice(invoice!.id, "invoice.paid");
    await handleTwice(invoice!.id, "invoice.finalized");
    expect(await emailsOf(customer.id, "receipt")).toHaveLength(0);
    expect(await emailsOf(customer.id, "invoice-issued")).toHaveLength(0);
  });

  it("a subscription created through createSubscription ends up with exactly one subscription-started email after dispatchOutbox", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const { subscription } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    while ((await dispatchOutbox(db, outboxHandler(db))) > 0) {
      // drain
    }
    await handleTwice(subscription.id, "customer.subscription.created");
    expect(await emailsOf(customer.id, "subscription-started")).toHaveLength(1);
    expect((await emailsOf(customer.id)).map((e) => e.template).sort()).toEqual(["receipt", "subscription-started"]);
  });
});
