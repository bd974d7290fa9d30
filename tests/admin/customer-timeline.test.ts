import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { emails, invoices, stripeEvents } from "@/db/schema";
import { customerTimeline, decodeTimelineCursor, encodeTimelineCursor, timelineKinds, type TimelineEntry, type TimelineKind } from "@/db/queries/customer-timeline";
import { enqueueEvent } from "@/lib/events/outbox";
import { newId } from "@/lib/ids";
import { grantCredit } from "@/lib/services/balance/grant-credit";
import { createCreditNote } from "@/lib/services/credit-notes/create-credit-note";
import { addCustomerNote } from "@/lib/services/notes/add-note";
import { recordManualPayment } from "@/lib/services/payments/record-manual-payment";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { ctx as systemCtx } from "../services/support";
import { makeCatalog, makeCustomer, NOW, paidCustomer, staff } from "./support";
import { makeTestClock } from "../factories";
import { formatterFor } from "@/lib/format";

const fmt = formatterFor({ locale: "en-AU" });

const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

let db: Db;
let customerId: string;
let otherId: string;
let paymentGatewayId: string;
let all: TimelineEntry[];
let invoiceNumber: string;

async function insertEmail(customer: string, subject: string, when: Date) {
  await db.insert(emails).values({ id: newId("email"), to: "c@example.test", subject, html: "<p>x</p>", text: "x", template: "invoice-issued", customerId: customer, transport: "outbox", status: "sent", createdAt: when });
}

async function insertStripeEvent(id: string, type: string, object: Record<string, unknown>, when: Date) {
  await db.insert(stripeEvents).values({ id, type, livemode: false, payload: { id, type, data: { object } }, receivedAt: when, processedAt: when, attempts: 1 });
}

beforeAll(async () => {
  db = await getDb();
  // Everything the subscription start records (customer, card, subscription, invoice, payment,
  // their events) happens at one instant: the tie-break on (source, id) orders them.
  const { customer, payment, invoice } = await paidCustomer(db, at(0));
  customerId = customer.id;
  invoiceNumber = invoice.number ?? "";
  paymentGatewayId = payment.gatewayId ?? "";
  const admin = await staff(db, "billing_admin");
  const support = await staff(db, "support");
  await grantCredit({ ...admin.ctx, now: at(1) }, { customerId, amount: 5000, currency: "aud", reason: "Sorry for the outage" });
  await addCustomerNote({ ...support.ctx, now: at(2) }, { customerId, body: "Customer called about the outage." });
  await insertEmail(customerId, "Your receipt", at(3));
  await insertStripeEvent(`evt_${newId("event")}`, "charge.refunded", { object: "charge", payment_intent: paymentGatewayId, amount: 2900, currency: "aud" }, at(4));
  await insertStripeEvent(`evt_${newId("event")}`, "setup_intent.succeeded", { object: "setup_intent", metadata: { customer_id: customerId } }, at(5));
  // A refund of $4.00 to the card, by a billing admin: money moving, so a payment entry (and a staff one).
  await createCreditNote({ ...admin.ctx, now: at(6) }, { invoiceId: invoice.id, amount: 400, reason: "product_unsatisfactory", outcome: "refund" });
  // An event no audit entry goes with: shown on its own.
  await enqueueEvent(db, { type: "invoice.resent", customerId, entityId: invoice.id, payload: { invoice: invoice.id, to: "timeline@example.test" } }, at(7));

  // Another customer's history, interleaved in time: none of it may show.
  const other = await makeCustomer(systemCtx(db, at(2.5)));
  otherId = other.id;
  await addCustomerNote({ ...support.ctx, now: at(2.5) }, { customerId: otherId, body: "Other customer's note" });
  await insertEmail(otherId, "Someone else's receipt", at(3.5));
  await insertStripeEvent(`evt_${newId("event")}`, "payment_intent.succeeded", { object: "payment_intent", id: "pi_someone_else", customer: "cus_gw_other" }, at(4.5));

  all = (await customerTimeline(db, { customerId, limit: 100, fmt })).entries;
});

describe("customer timeline", () => {
  it("merges audit entries, events, emails and webhooks for the customer, newest first, and nothing of anyone else's", () => {
    expect(all.length).toBeGreaterThan(10);
    expect(all.length).toBeLessThan(100);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.at.getTime()).toBeGreaterThanOrEqual(all[i]!.at.getTime());
    expect(new Set(all.map((e) => e.key)).size).toBe(all.length);
    expect(new Set(all.map((e) => e.source))).toEqual(new Set(["audit", "event", "email", "webhook"]));

    expect(all[0]).toMatchObject({ source: "event", kind: "billing", action: "invoice.resent", summary: `Event: invoice emailed again (${invoiceNumber})`, events: [] });
    expect(all[1]).toMatchObject({ source: "audit", kind: "payments", byStaff: true, action: "credit_note.created", summary: expect.stringMatching(new RegExp(`^Refunded \\$4\\.00 to Visa …4242 for invoice ${invoiceNumber} \\(credit note .+\\)$`)) });
    expect(all[2]).toMatchObject({ source: "webhook", kind: "webhooks", action: "setup_intent.succeeded", actor: "Stripe" });
    expect(all[3]).toMatchObject({ source: "webhook", action: "charge.refunded", summary: "Stripe: charge.refunded ($29.00)" });
    expect(all[4]).toMatchObject({ source: "email", kind: "emails", summary: "Email sent: “Your receipt” to c@example.test" });
    expect(all[5]).toMatchObject({ source: "audit", kind: "staff", byStaff: true, action: "customer.note_added", summary: "Note: Customer called about the outage." });
    expect(all[5]!.actor).toMatch(/support person \(support-.*@staff\.test\)/);
    const grant = all.find((e) => e.action === "customer.credit_granted");
    expect(grant).toMatchObject({ kind: "billing", byStaff: true, summary: "Granted $50.00 credit: Sorry for the outage", before: { creditBalance: 0 }, after: { creditBalance: 5000 } });

    const text = JSON.stringify(all);
    expect(text).not.toContain(otherId);
    expect(text).not.toContain("Someone else");
    expect(text).not.toContain("pi_someone_else");
    // The subscription's own records are there, reached through its entities.
    expect(all.map((e) => e.action)).toEqual(expect.arrayContaining(["customer.created", "payment_method.attached", "subscription.created", "invoice.paid", "subscription.active"]));
    expect(all.find((e) => e.action === "invoice.finalized")?.summary).toBe(`Invoice ${invoiceNumber} finalized`);
    expect(all.find((e) => e.action === "payment_method.attached" && e.source === "audit")?.summary).toBe("Card added: Visa ending 4242");
  });

  it("shows each change once: the audit entry, with the event written for it inside", () => {
    // Each of these changes wrote an audit entry and an event in one transaction.
    const merged: [audit: string, event: string][] = [
      ["customer.created", "customer.created"],
      ["payment_method.attached", "payment_method.attached"],
      ["subscription.created", "customer.subscription.created"],
      ["invoice.finalized", "invoice.finalized"],
      ["invoice.paid", "invoice.paid"],
      // A status change is announced as customer.subscription.updated (to: active).
      ["subscription.active", "customer.subscription.updated"],
      // Names and records differ: the grant is on the customer, its event on the balance entry.
      ["customer.credit_granted", "customer.balance_transaction.created"],
      ["credit_note.created", "credit_note.created"],
    ];
    for (const [action, event] of merged) {
      const entries = all.filter((e) => e.action === action);
      expect(entries, action).toHaveLength(1);
      expect(entries[0]!.source).toBe("audit");
      expect(entries[0]!.events.map((e) => e.type)).toEqual([event]);
      expect(entries[0]!.events[0]!.id).toMatch(/^evt_/);
    }
    // No event shows on its own except the one no audit entry went with.
    expect(all.filter((e) => e.source === "event").map((e) => e.action)).toEqual(["invoice.resent"]);
    // The event's payload is kept with the entry.
    const paid = all.find((e) => e.action === "invoice.paid")!;
    expect(paid.events[0]!.payload).toMatchObject({ invoice: expect.any(String), payment: expect.any(String) });
  });

  it("a payment reads with its amount and card", () => {
    const paid = all.find((e) => e.action === "invoice.paid");
    expect(paid).toMatchObject({ kind: "payments", byStaff: false, summary: `Paid $29.00 with Visa …4242 — invoice ${invoiceNumber}` });
  });

  it("filters by kind", async () => {
    const only = async (kinds: TimelineKind[]) => (await customerTimeline(db, { customerId, kinds, limit: 100, fmt })).entries;
    const webhooks = await only(["webhooks"]);
    expect(webhooks.map((e) => e.action)).toEqual(["setup_intent.succeeded", "charge.refunded"]);
    expect((await only(["emails"])).map((e) => e.summary)).toEqual(["Email sent: “Your receipt” to c@example.test"]);
    // Staff: notes, and every change a staff member made whatever its topic (the refund, the grant).
    expect((await only(["staff"])).map((e) => e.action)).toEqual(["credit_note.created", "customer.note_added", "customer.credit_granted"]);
    // Payments: money moving — the charge that paid the invoice and the refund; not the card.
    const payments = await only(["payments"]);
    expect(payments.map((e) => e.action)).toEqual(["credit_note.created", "invoice.paid"]);
    expect(payments.map((e) => e.summary)).toEqual([expect.stringMatching(/^Refunded \$4\.00 to Visa …4242/), `Paid $29.00 with Visa …4242 — invoice ${invoiceNumber}`]);
    expect((await only(["cards"])).map((e) => e.action)).toEqual(["payment_method.attached"]);
    const two = await only(["emails", "webhooks"]);
    expect(two.map((e) => e.key)).toEqual(all.filter((e) => e.kind === "emails" || e.kind === "webhooks").map((e) => e.key));
    // Every kind at once, or an unknown kind alone, is no filter.
    expect((await only([...timelineKinds])).map((e) => e.key)).toEqual(all.map((e) => e.key));
    expect((await only(["nonsense" as TimelineKind])).map((e) => e.key)).toEqual(all.map((e) => e.key));
    // A topic's filter shows exactly the entries of that topic; the topics cover everything.
    for (const kind of ["billing", "payments", "cards", "emails", "webhooks"] as const) {
      expect((await only([kind])).map((e) => e.key), kind).toEqual(all.filter((e) => e.kind === kind).map((e) => e.key));
    }
    expect(all.filter((e) => e.kind === "staff").map((e) => e.action)).toEqual(["customer.note_added"]);
    expect(all.filter((e) => !(timelineKinds as readonly string[]).includes(e.kind))).toEqual([]);
  });

  it("pages through everything with keyset cursors: same order, no gaps, no repeats, across sources and equal timestamps", async () => {
    for (const limit of [1, 3, 7]) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 200; guard++) {
        const page: Awaited<ReturnType<typeof customerTimeline>> = await customerTimeline(db, { customerId, limit, after, fmt });
        expect(page.entries.length).toBeLessThanOrEqual(limit);
        seen.push(...page.entries.map((e) => e.key));
        if (!page.nextCursor) break;
        after = page.nextCursor;
      }
      expect(seen).toEqual(all.map((e) => e.key));
    }
    // Pages of a filtered timeline stay within the filter.
    const first = await customerTimeline(db, { customerId, kinds: ["staff"], limit: 2, fmt });
    expect(first.entries.map((e) => e.action)).toEqual(["credit_note.created", "customer.note_added"]);
    const second = await customerTimeline(db, { customerId, kinds: ["staff"], limit: 2, after: first.nextCursor, fmt });
    expect(second.entries.map((e) => e.action)).toEqual(["customer.credit_granted"]);
    expect(second.nextCursor).toBeNull();
  });

  it("cursors round-trip; a tampered cursor reads from the top", async () => {
    const cursor = { at: "2026-03-10T01:00:00.123456", key: "audit:42" };
    expect(decodeTimelineCursor(encodeTimelineCursor(cursor))).toEqual(cursor);
    expect(decodeTimelineCursor("not-a-cursor")).toBeNull();
    expect(decodeTimelineCursor(encodeTimelineCursor({ at: "yesterday", key: "audit:1" }))).toBeNull();
    expect(decodeTimelineCursor(encodeTimelineCursor({ at: cursor.at, key: "audit:1'; drop table x" }))).toBeNull();
    const page = await customerTimeline(db, { customerId, limit: 2, after: "garbage", fmt });
    expect(page.entries.map((e) => e.key)).toEqual(all.slice(0, 2).map((e) => e.key));
  });
});

describe("a customer on a test clock", () => {
  // The clock is ten months ahead of the wall clock. Some writes date their audit entry in real time
  // (ctx.now) and their event in the clock's time: the pair is still one entry, by recorded_at.
  const frozen = new Date("2027-01-06T09:00:00Z");
  let entries: TimelineEntry[];
  let number: string;

  beforeAll(async () => {
    const clockId = await makeTestClock(db, frozen);
    const catalog = await makeCatalog(db);
    const system = systemCtx(db, NOW);
    const customer = await makeCustomer(system, { testClockId: clockId, timezone: "Pacific/Auckland", card: "pm_card_chargeCustomerFail" });
    const { invoice } = await createSubscription(system, { customerId: customer.id, items: [{ priceId: catalog.audTrial.id, quantity: 1 }], trialPeriodDays: 0 });
    if (!invoice) throw new Error("no first invoice");
    const [open] = await db.select().from(invoices).where(eq(invoices.id, invoice.id));
    expect(open?.status).toBe("open");
    number = open!.number ?? "";
    const admin = await staff(db, "billing_admin");
    await recordManualPayment(admin.ctx, { invoiceId: invoice.id, method: "bank_transfer", reference: "BT-778" });
    entries = (await customerTimeline(db, { customerId: customer.id, limit: 100, fmt })).entries;
  });

  it("a failed charge is one entry with its amount and card, though the audit entry and the event carry different times", () => {
    const failed = entries.filter((e) => e.action === "payment.failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ kind: "payments", summary: `Payment of $29.00 with Visa …0341 failed (generic_decline) — invoice ${number}` });
    expect(failed[0]!.events.map((e) => e.type)).toEqual(["invoice.payment_failed"]);
    // The audit entry is dated in real time, the event in the clock's; the entry reads in the clock's.
    expect(failed[0]!.auditAt).toEqual(NOW);
    expect(failed[0]!.events[0]!.at).toEqual(frozen);
    expect(failed[0]!.at).toEqual(frozen);
    expect(entries.some((e) => e.source === "event" && e.action === "invoice.payment_failed")).toBe(false);
  });

  it("a manual payment is one entry with both of its events, and it is a payment", () => {
    const manual = entries.filter((e) => e.action === "payment.recorded_manually");
    expect(manual).toHaveLength(1);
    expect(manual[0]).toMatchObject({ kind: "payments", byStaff: true, summary: `Payment of $29.00 recorded manually on invoice ${number} (bank transfer)` });
    expect(manual[0]!.events.map((e) => e.type).sort()).toEqual(["invoice.paid", "payment.recorded"]);
    expect(entries.filter((e) => e.source === "event")).toEqual([]);
  });

  it("a change whose audit entry carries real time and its event the clock's reads in the clock's time, newest first", () => {
    const split = entries.filter((e) => e.events.length > 0 && e.auditAt?.getTime() !== e.events[0]!.at.getTime());
    expect(split.map((e) => e.action)).toEqual(expect.arrayContaining(["payment.failed", "payment.recorded_manually"]));
    for (const e of split) expect({ action: e.action, at: e.at, auditAt: e.auditAt }).toEqual({ action: e.action, at: frozen, auditAt: NOW });
    for (let i = 1; i < entries.length; i++) expect(entries[i - 1]!.at.getTime()).toBeGreaterThanOrEqual(entries[i]!.at.getTime());
  });
});
