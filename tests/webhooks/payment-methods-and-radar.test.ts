import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { auditLog, customers, paymentMethods } from "@/db/schema";
import { findCustomer } from "@/db/queries/customers";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { ctx } from "../services/support";
import { nowSeconds, outboxOfType, paidInvoice, paymentRow, postJson, stripeEvent } from "./support";
import { makeCatalog, makeCustomer, type Catalog } from "../factories";

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

function stripeCard(id: string, customer: string | null, card: { brand?: string; last4?: string; exp_month?: number; exp_year?: number } = {}) {
  return {
    id,
    object: "payment_method",
    type: "card",
    customer,
    card: { brand: card.brand ?? "visa", last4: card.last4 ?? "4242", exp_month: card.exp_month ?? 8, exp_year: card.exp_year ?? 2031, fingerprint: `fp_${id}`, funding: "credit", country: "AU" },
    metadata: {},
  };
}

/** A customer without a card, known to the gateway as `cus_gw_<id>`. */
async function customerAtGateway() {
  const customer = await makeCustomer(ctx(db), { card: null });
  const gatewayCustomerId = `cus_gw_${customer.id}`;
  await db.update(customers).set({ gatewayCustomerId }).where(eq(customers.id, customer.id));
  return { ...customer, gatewayCustomerId };
}

async function methodsOf(customerId: string) {
  return db.select().from(paymentMethods).where(eq(paymentMethods.customerId, customerId));
}

describe("setup_intent.*", () => {
  it("succeeded: the card is saved once (keyed by gateway id), becomes the default, and a later attached event adds nothing", async () => {
    const customer = await customerAtGateway();
    const pm = stripeCard("pm_1SetupA", customer.gatewayCustomerId, { brand: "visa", last4: "1881", exp_month: 4, exp_year: 2030 });
    const event = stripeEvent({ type: "setup_intent.succeeded", object: { id: "seti_1", object: "setup_intent", status: "succeeded", customer: customer.gatewayCustomerId, payment_method: pm, metadata: {} } });
    expect((await postJson(event)).outcome?.status).toBe("processed");
    const attached = stripeEvent({ type: "payment_method.attached", object: pm });
    expect((await postJson(attached)).outcome).toMatchObject({ status: "ignored", note: "the payment method is already saved" });

    const rows = await methodsOf(customer.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ gatewayId: "pm_1SetupA", brand: "visa", last4: "1881", expMonth: 4, expYear: 2030, fingerprint: "fp_pm_1SetupA", detachedAt: null });
    expect((await findCustomer(db, customer.id))?.defaultPaymentMethodId).toBe(rows[0]!.id);
    expect(await outboxOfType(db, "payment_method.attached", rows[0]!.id)).toHaveLength(1);
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, rows[0]!.id), eq(auditLog.action, "payment_method.attached")));
    expect(audit).toMatchObject({ actorType: "webhook", actorId: event.id });
  });

  it("succeeded with only the PaymentMethod's id asks the gateway for the card (sandbox test token)", async () => {
    const customer = await customerAtGateway();
    const event = stripeEvent({ type: "setup_intent.succeeded", object: { id: "seti_2", object: "setup_intent", status: "succeeded", customer: null, payment_method: "pm_card_mastercard", metadata: { customer_id: customer.id } } });
    expect((await postJson(event)).outcome?.status).toBe("processed");
    const rows = await methodsOf(customer.id);
    expect(rows.map((r) => [r.gatewayId, r.brand, r.last4])).toEqual([["pm_card_mastercard", "mastercard", "4444"]]);
  });

  it("succeeded for a customer Tally does not know, or without a payment method, is acknowledged and ignored", async () => {
    const unknown = stripeEvent({ type: "setup_intent.succeeded", object: { id: "seti_3", object: "setup_intent", status: "succeeded", customer: "cus_nobody", payment_method: "pm_x", metadata: {} } });
    expect((await postJson(unknown)).outcome).toMatchObject({ status: "ignored", note: "no Tally customer for this gateway customer" });
    const empty = stripeEvent({ type: "setup_intent.succeeded", object: { id: "seti_4", object: "setup_intent", status: "succeeded", customer: "cus_nobody", payment_method: null, metadata: {} } });
    expect((await postJson(empty)).outcome?.status).toBe("ignored");
  });

  it("setup_failed is put on the customer's timeline without changing anything", async () => {
    const customer = await customerAtGateway();
    const event = stripeEvent({
      type: "setup_intent.setup_failed",
      object: { id: "seti_5", object: "setup_intent", status: "requires_payment_method", customer: customer.gatewayCustomerId, payment_method: null, metadata: {}, last_setup_error: { code: "card_declined", decline_code: "do_not_honor", message: "Your card was declined." } },
    });
    expect((await postJson(event)).outcome?.status).toBe("processed");
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, customer.id), eq(auditLog.action, "payment_method.setup_failed")));
    expect(audit?.after).toMatchObject({ setup_intent: "seti_5", code: "card_declined", decline_code: "do_not_honor" });
    expect(await outboxOfType(db, "payment_method.setup_failed", customer.id)).toHaveLength(1);
    expect(await methodsOf(customer.id)).toHaveLength(0);
  });
});

describe("payment_method.*", () => {
  it("detached: the card is detached, the other card becomes the default, and a late attached does not bring it back", async () => {
    const customer = await customerAtGateway();
    const first = stripeCard("pm_1First", customer.gatewayCustomerId);
    const second = stripeCard("pm_1Second", customer.gatewayCustomerId, { last4: "0005" });
    await postJson(stripeEvent({ type: "payment_method.attached", object: second, created: nowSeconds() - 10 }));
    await postJson(stripeEvent({ type: "payment_method.attached", object: first, created: nowSeconds() - 5 }));
    const rows = await methodsOf(customer.id);
    const secondRow = rows.find((r) => r.gatewayId === "pm_1Second")!;
    const firstRow = rows.find((r) => r.gatewayId === "pm_1First")!;
    expect((await findCustomer(db, customer.id))?.defaultPaymentMethodId).toBe(secondRow.id);

    const detached = stripeEvent({ type: "payment_method.detached", object: { ...second, customer: null } });
    expect((await postJson(detached)).outcome?.status).toBe("processed");
    expect((await methodsOf(customer.id)).find((r) => r.id === secondRow.id)?.detachedAt).toBeInstanceOf(Date);
    expect((await findCustomer(db, customer.id))?.defaultPaymentMethodId).toBe(firstRow.id);

    const lateAttach = stripeEvent({ type: "payment_method.attached", object: second, created: nowSeconds() - 20 });
    expect((await postJson(lateAttach)).outcome).toMatchObject({ status: "ignored", note: "the payment method was detached at the gateway" });
    expect(await methodsOf(customer.id)).toHaveLength(2);
    expect((await postJson(stripeEvent({ type: "payment_method.detached", object: { ...second, customer: null } }))).outcome?.status).toBe("ignored");
  });

  it("detached before Tally ever saw it: the attached that follows is ignored", async () => {
    const customer = await customerAtGateway();
    const pm = stripeCard("pm_1Gone", customer.gatewayCustomerId);
    expect((await postJson(stripeEvent({ type: "payment_method.detached", object: { ...pm, customer: null } }))).outcome?.status).toBe("ignored");
    expect((await postJson(stripeEvent({ type: "payment_method.attached", object: pm }))).outcome?.status).toBe("ignored");
    expect(await methodsOf(customer.id)).toHaveLength(0);
  });

  it("updated and automatically_updated: the newest card details win in any order", async () => {
    const customer = await customerAtGateway();
    const pm = stripeCard("pm_1Updating", customer.gatewayCustomerId, { exp_month: 1, exp_year: 2027 });
    await postJson(stripeEvent({ type: "payment_method.attached", object: pm }));
    const t = nowSeconds();
    const newer = stripeEvent({ type: "payment_method.automatically_updated", created: t + 20, object: stripeCard(pm.id, customer.gatewayCustomerId, { last4: "9876", exp_month: 2, exp_year: 2032 }) });
    const older = stripeEvent({ type: "payment_method.updated", created: t + 10, object: stripeCard(pm.id, customer.gatewayCustomerId, { exp_month: 6, exp_year: 2029 }) });
    expect((await postJson(newer)).outcome?.status).toBe("processed");
    expect((await postJson(older)).outcome).toMatchObject({ status: "ignored", note: "a newer card update was already applied" });
    const [row] = await methodsOf(customer.id);
    expect(row).toMatchObject({ last4: "9876", expMonth: 2, expYear: 2032 });
    expect(await outboxOfType(db, "payment_method.updated", row!.id)).toHaveLength(1);

    const newest = stripeEvent({ type: "payment_method.updated", created: t + 30, object: stripeCard(pm.id, customer.gatewayCustomerId, { last4: "9876", exp_month: 3, exp_year: 2033 }) });
    expect((await postJson(newest)).outcome?.status).toBe("processed");
    expect((await methodsOf(customer.id))[0]).toMatchObject({ expMonth: 3, expYear: 2033 });
  });

  it("a card saved through Tally's own attach is found by its gateway id and updated in place", async () => {
    const customer = await makeCustomer(ctx(db), { card: null });
    const saved = await attachPaymentMethod(ctx(db), { customerId: customer.id, token: "pm_card_visa" });
    const event = stripeEvent({ type: "payment_method.automatically_updated", object: stripeCard(saved.gatewayId, null, { last4: "4242", exp_month: 9, exp_year: 2036 }) });
    expect((await postJson(event)).outcome?.status).toBe("processed");
    expect((await methodsOf(customer.id))[0]).toMatchObject({ id: saved.id, expMonth: 9, expYear: 2036 });
  });
});

describe("radar.early_fraud_warning.*", () => {
  it("flags the payment (risk highest, outcome early_fraud_warning) once, whichever event comes first; each is audited", async () => {
    const seed = await paidInvoice(ctx(db), catalog);
    const warning = (actionable: boolean) => ({
      id: "issfr_1",
      object: "radar.early_fraud_warning",
      actionable,
      charge: `ch_${seed.payment.gatewayId}`,
      payment_intent: seed.payment.gatewayId,
      fraud_type: "made_with_stolen_card",
      created: nowSeconds(),
      livemode: false,
    });
    const updated = stripeEvent({ type: "radar.early_fraud_warning.updated", created: nowSeconds() + 1, object: warning(false) });
    const created = stripeEvent({ type: "radar.early_fraud_warning.created", object: warning(true) });
    expect((await postJson(updated)).outcome?.status).toBe("processed");
    expect((await postJson(created)).outcome?.status).toBe("processed");
    expect(await paymentRow(db, seed.payment.id)).toMatchObject({ status: "succeeded", riskLevel: "highest", outcome: "early_fraud_warning:made_with_stolen_card" });
    const notices = await outboxOfType(db, "payment.early_fraud_warning", seed.payment.id);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.payload).toMatchObject({ invoice: seed.invoiceId, fraud_type: "made_with_stolen_card", early_fraud_warning: "issfr_1" });
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.entityId, seed.payment.id), eq(auditLog.action, "payment.early_fraud_warning")));
    expect(audits.map((a) => (a.after as { actionable: boolean }).actionable).sort()).toEqual([false, true]);
  });

  it("a warning for a charge Tally does not know is acknowledged and ignored", async () => {
    const event = stripeEvent({ type: "radar.early_fraud_warning.created", object: { id: "issfr_2", object: "radar.early_fraud_warning", actionable: true, charge: "ch_x", payment_intent: "pi_x", fraud_type: "misc" } });
    expect((await postJson(event)).outcome).toMatchObject({ status: "ignored", note: "no Tally payment for the charge" });
  });
});
