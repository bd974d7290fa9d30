import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { emails, stripeEvents } from "@/db/schema";
import { customerTimeline, decodeTimelineCursor, encodeTimelineCursor, type TimelineEntry } from "@/db/queries/customer-timeline";
import { newId } from "@/lib/ids";
import { grantCredit } from "@/lib/services/balance/grant-credit";
import { addCustomerNote } from "@/lib/services/notes/add-note";
import { ctx as systemCtx } from "../services/support";
import { makeCustomer, NOW, paidCustomer, staff } from "./support";

const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

let db: Db;
let customerId: string;
let otherId: string;
let paymentGatewayId: string;
let all: TimelineEntry[];

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
  const { customer, payment } = await paidCustomer(db, at(0));
  customerId = customer.id;
  paymentGatewayId = payment.gatewayId ?? "";
  const admin = await staff(db, "billing_admin");
  const support = await staff(db, "support");
  await grantCredit({ ...admin.ctx, now: at(1) }, { customerId, amount: 5000, currency: "aud", reason: "Sorry for the outage" });
  await addCustomerNote({ ...support.ctx, now: at(2) }, { customerId, body: "Customer called about the outage." });
  await insertEmail(customerId, "Your receipt", at(3));
  await insertStripeEvent(`evt_${newId("event")}`, "charge.refunded", { object: "charge", payment_intent: paymentGatewayId, amount: 2900, currency: "aud" }, at(4));
  await insertStripeEvent(`evt_${newId("event")}`, "setup_intent.succeeded", { object: "setup_intent", metadata: { customer_id: customerId } }, at(5));

  // Another customer's history, interleaved in time: none of it may show.
  const other = await makeCustomer(systemCtx(db, at(2.5)));
  otherId = other.id;
  await addCustomerNote({ ...support.ctx, now: at(2.5) }, { customerId: otherId, body: "Other customer's note" });
  await insertEmail(otherId, "Someone else's receipt", at(3.5));
  await insertStripeEvent(`evt_${newId("event")}`, "payment_intent.succeeded", { object: "payment_intent", id: "pi_someone_else", customer: "cus_gw_other" }, at(4.5));

  all = (await customerTimeline(db, { customerId, limit: 100 })).entries;
});

describe("customer timeline", () => {
  it("merges audit entries, events, emails and webhooks for the customer, newest first, and nothing of anyone else's", () => {
    expect(all.length).toBeGreaterThan(10);
    expect(all.length).toBeLessThan(100);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.at.getTime()).toBeGreaterThanOrEqual(all[i]!.at.getTime());
    expect(new Set(all.map((e) => e.key)).size).toBe(all.length);
    expect(new Set(all.map((e) => e.source))).toEqual(new Set(["audit", "event", "email", "webhook"]));

    expect(all[0]).toMatchObject({ source: "webhook", kind: "webhooks", action: "setup_intent.succeeded", actor: "Stripe" });
    expect(all[1]).toMatchObject({ source: "webhook", action: "charge.refunded", summary: "Stripe: charge.refunded ($29.00)" });
    expect(all[2]).toMatchObject({ source: "email", kind: "emails", summary: "Email sent: “Your receipt” to c@example.test" });
    expect(all[3]).toMatchObject({ source: "audit", kind: "staff", action: "customer.note_added", summary: "Note: Customer called about the outage." });
    expect(all[3]!.actor).toMatch(/support person \(support-.*@staff\.test\)/);
    const grant = all.find((e) => e.action === "customer.credit_granted");
    expect(grant).toMatchObject({ kind: "staff", summary: "Granted $50.00 credit: Sorry for the outage", before: { creditBalance: 0 }, after: { creditBalance: 5000 } });

    const text = JSON.stringify(all);
    expect(text).not.toContain(otherId);
    expect(text).not.toContain("Someone else");
    expect(text).not.toContain("pi_someone_else");
    // The subscription's own records are there, reached through its entities.
    expect(all.map((e) => e.action)).toEqual(expect.arrayContaining(["customer.created", "payment_method.attached", "subscription.created", "invoice.paid", "customer.subscription.created"]));
    expect(all.filter((e) => e.source === "audit" && e.action.startsWith("invoice.")).every((e) => /Invoice TLY-\d{6}/.test(e.summary))).toBe(true);
    expect(all.find((e) => e.source === "event" && e.action === "invoice.paid")?.summary).toMatch(/^Event: invoice paid \(TLY-\d{6}\)$/);
    expect(all.find((e) => e.action === "payment_method.attached" && e.source === "audit")?.summary).toBe("Card added: Visa ending 4242");
  });

  it("filters by kind", async () => {
    const only = async (kinds: ("billing" | "payments" | "emails" | "webhooks" | "staff")[]) => (await customerTimeline(db, { customerId, kinds, limit: 100 })).entries;
    const webhooks = await only(["webhooks"]);
    expect(webhooks.map((e) => e.action)).toEqual(["setup_intent.succeeded", "charge.refunded"]);
    expect((await only(["emails"])).map((e) => e.summary)).toEqual(["Email sent: “Your receipt” to c@example.test"]);
    expect((await only(["staff"])).map((e) => e.action)).toEqual(["customer.note_added", "customer.credit_granted"]);
    const payments = await only(["payments"]);
    expect(payments.length).toBeGreaterThan(0);
    expect(payments.every((e) => e.kind === "payments")).toBe(true);
    expect(payments.map((e) => e.action)).toContain("payment_method.attached");
    const two = await only(["emails", "webhooks"]);
    expect(two.map((e) => e.key)).toEqual(all.filter((e) => e.kind === "emails" || e.kind === "webhooks").map((e) => e.key));
    // Every kind at once, or an unknown kind alone, is no filter.
    expect((await only(["billing", "payments", "emails", "webhooks", "staff"])).map((e) => e.key)).toEqual(all.map((e) => e.key));
    expect(all.filter((e) => e.kind === "billing").length + payments.length + 3 + 2).toBe(all.length);
  });

  it("pages through everything with keyset cursors: same order, no gaps, no repeats, across sources and equal timestamps", async () => {
    for (const limit of [1, 3, 7]) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 200; guard++) {
        const page: Awaited<ReturnType<typeof customerTimeline>> = await customerTimeline(db, { customerId, limit, after });
        expect(page.entries.length).toBeLessThanOrEqual(limit);
        seen.push(...page.entries.map((e) => e.key));
        if (!page.nextCursor) break;
        after = page.nextCursor;
      }
      expect(seen).toEqual(all.map((e) => e.key));
    }
    // Pages of a filtered timeline stay within the filter.
    const first = await customerTimeline(db, { customerId, kinds: ["staff"], limit: 1 });
    expect(first.entries.map((e) => e.action)).toEqual(["customer.note_added"]);
    const second = await customerTimeline(db, { customerId, kinds: ["staff"], limit: 1, after: first.nextCursor });
    expect(second.entries.map((e) => e.action)).toEqual(["customer.credit_granted"]);
    expect(second.nextCursor).toBeNull();
  });

  it("cursors round-trip; a tampered cursor reads from the top", async () => {
    const cursor = { at: "2026-03-10T01:00:00.123456", key: "audit:42" };
    expect(decodeTimelineCursor(encodeTimelineCursor(cursor))).toEqual(cursor);
    expect(decodeTimelineCursor("not-a-cursor")).toBeNull();
    expect(decodeTimelineCursor(encodeTimelineCursor({ at: "yesterday", key: "audit:1" }))).toBeNull();
    expect(decodeTimelineCursor(encodeTimelineCursor({ at: cursor.at, key: "audit:1'; drop table x" }))).toBeNull();
    const page = await customerTimeline(db, { customerId, limit: 2, after: "garbage" });
    expect(page.entries.map((e) => e.key)).toEqual(all.slice(0, 2).map((e) => e.key));
  });
});
