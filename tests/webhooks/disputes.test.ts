import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { auditLog, disputes, reconciliationItems } from "@/db/schema";
import { GET as listDisputes } from "@/app/api/v1/disputes/route";
import { GET as getDispute } from "@/app/api/v1/disputes/[id]/route";
import { allOperations } from "@/lib/api/operations";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { call, newKey, problemOf } from "../api/support";
import { ctx } from "../services/support";
import { disputeByGatewayId, dispute, drainOutbox, invoiceRow, outboxOfType, paidInvoice, paymentRow, postJson, stripeEvent, type Seeded } from "./support";
import { makeCatalog, makeCustomer, type Catalog } from "../factories";

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const T0 = 1_890_000_000;
const withdrawal = (amount: number) => [{ id: "txn_w", amount: -amount }];
const reinstatement = (amount: number) => [{ id: "txn_w", amount: -amount }, { id: "txn_r", amount }];

/** A dispute's life as Stripe reports it: each event carries the whole dispute at its time. */
function lostLifecycle(gatewayId: string, seed: Seeded) {
  const p = seed.payment;
  return [
    stripeEvent({ type: "charge.dispute.created", created: T0, object: dispute(gatewayId, p, "needs_response") }),
    stripeEvent({ type: "charge.dispute.updated", created: T0 + 60, object: dispute(gatewayId, p, "under_review", { evidence_details: { due_by: 1_900_000_000, has_evidence: true } }) }),
    stripeEvent({ type: "charge.dispute.funds_withdrawn", created: T0 + 120, object: dispute(gatewayId, p, "under_review", { balance_transactions: withdrawal(p.amount) }) }),
    stripeEvent({ type: "charge.dispute.closed", created: T0 + 180, object: dispute(gatewayId, p, "lost", { balance_transactions: withdrawal(p.amount) }) }),
  ];
}

describe("disputes from charge.dispute.* in any order", () => {
  it("created → updated → funds_withdrawn → closed(lost), all 24 orders: the latest status, one row, each change announced once", async () => {
    const seed = await paidInvoice(ctx(db), catalog);
    for (const [n, order] of permutations([0, 1, 2, 3]).entries()) {
      const gatewayId = `du_order_${n}`;
      const events = lostLifecycle(gatewayId, seed);
      for (const i of order) expect((await postJson(events[i]!)).status).toBe(200);
      // Redeliveries change nothing.
      for (const event of events) expect((await postJson(event)).outcome?.status).toBe("duplicate");

      const row = await disputeByGatewayId(db, gatewayId);
      expect(row, `order ${order.join("")}`).toMatchObject({
        status: "lost",
        amount: seed.payment.amount,
        currency: "aud",
        reason: "fraudulent",
        fundsWithdrawn: true,
        fundsReinstated: false,
        paymentId: seed.payment.id,
        invoiceId: seed.invoiceId,
        customerId: seed.customerId,
        evidenceDueBy: new Date(1_900_000_000 * 1000),
        updatedAt: new Date((T0 + 180) * 1000),
      });
      expect(await outboxOfType(db, "dispute.created", row!.id), `order ${order.join("")}`).toHaveLength(1);
      expect(await outboxOfType(db, "dispute.closed", row!.id)).toHaveLength(1);
      expect(await outboxOfType(db, "dispute.funds_withdrawn", row!.id)).toHaveLength(1);
      const lost = await db.select().from(reconciliationItems).where(eq(reconciliationItems.id, `rec_dispute_lost_${row!.id}`));
      expect(lost).toHaveLength(1);
      expect(lost[0]?.detail).toContain("stays paid");
    }
    expect(await db.select().from(disputes).where(eq(disputes.paymentId, seed.payment.id))).toHaveLength(24);
    // A lost dispute leaves the invoice paid; the money taken back is on the reconciliation queue.
    expect(await invoiceRow(db, seed.invoiceId)).toMatchObject({ status: "paid", amountPaid: seed.payment.amount, amountRemaining: 0 });
    expect((await paymentRow(db, seed.payment.id)).status).toBe("succeeded");
    const flagged = await db.select().from(auditLog).where(and(eq(auditLog.action, "invoice.disputed"), eq(auditLog.entityId, seed.invoiceId)));
    expect(flagged).toHaveLength(24);
    expect(flagged.every((a) => a.actorType === "webhook" && a.actorId.startsWith("evt_"))).toBe(true);
  });

  it("a won dispute: funds withdrawn then reinstated, in several orders; no reconciliation item", async () => {
    const seed = await paidInvoice(ctx(db), catalog);
    const p = seed.payment;
    for (const [n, order] of [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2]].entries()) {
      const id = `du_won_${n}`;
      const events = [
        stripeEvent({ type: "charge.dispute.created", created: T0, object: dispute(id, p, "needs_response") }),
        stripeEvent({ type: "charge.dispute.funds_withdrawn", created: T0 + 1, object: dispute(id, p, "needs_response", { balance_transactions: withdrawal(p.amount) }) }),
        stripeEvent({ type: "charge.dispute.closed", created: T0 + 100, object: dispute(id, p, "won", { balance_transactions: reinstatement(p.amount) }) }),
        stripeEvent({ type: "charge.dispute.funds_reinstated", created: T0 + 100, object: dispute(id, p, "won", { balance_transactions: reinstatement(p.amount) }) }),
      ];
      for (const i of order) expect((await postJson(events[i]!)).status).toBe(200);
      expect(await disputeByGatewayId(db, id)).toMatchObject({ status: "won", fundsWithdrawn: true, fundsReinstated: true });
    }
    expect(await db.select().from(reconciliationItems).where(eq(reconciliationItems.paymentId, p.id))).toHaveLength(0);
  });

  it("an inquiry that escalates to a chargeback follows the newer event, and a late older event does not undo it", async () => {
    const seed = await paidInvoice(ctx(db), catalog);
    const id = "du_inquiry";
    const inquiry = stripeEvent({ type: "charge.dispute.created", created: T0, object: dispute(id, seed.payment, "warning_under_review") });
    const escalated = stripeEvent({ type: "charge.dispute.updated", created: T0 + 5, object: dispute(id, seed.payment, "needs_response", { amount: 500 }) });
    await postJson(escalated);
    await postJson(inquiry);
    expect(await disputeByGatewayId(db, id)).toMatchObject({ status: "needs_response", amount: 500 });
  });

  it("a dispute on a charge Tally does not know is flagged for staff and acknowledged", async () => {
    const event = stripeEvent({ type: "charge.dispute.created", object: dispute("du_stranger", { amount: 999, currency: "usd", gatewayId: "pi_not_ours" }, "needs_response") });
    expect(await postJson(event)).toMatchObject({ status: 200, outcome: { status: "ignored" } });
    expect(await disputeByGatewayId(db, "du_stranger")).toBeUndefined();
    const [item] = await db.select().from(reconciliationItems).where(eq(reconciliationItems.id, "rec_dispute_unmatched_du_stranger"));
    expect(item?.detail).toContain("matches no Tally payment");
  });
});

describe("the sandbox's disputed test card (…0259)", () => {
  it("succeeds, then is disputed as fraudulent with the funds withdrawn — through the same handlers — once", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: "pm_card_createDispute" });
    const { invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    expect(invoice?.status).toBe("paid");
    await drainOutbox(db);
    await drainOutbox(db);

    const rows = await db.select().from(disputes).where(eq(disputes.customerId, customer.id));
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ invoiceId: invoice!.id, amount: 1000, currency: "aud", status: "needs_response", reason: "fraudulent", fundsWithdrawn: true, fundsReinstated: false, livemode: false });
    expect(row.gatewayId).toBe(`du_sbx_${row.paymentId}`);
    expect(row.evidenceDueBy!.getTime() - row.createdAt.getTime()).toBe(7 * 86_400_000);
    expect(await outboxOfType(db, "dispute.created", row.id)).toHaveLength(1);
    expect(await outboxOfType(db, "dispute.funds_withdrawn", row.id)).toHaveLength(1);
    // The invoice stays paid; a normal card is never disputed.
    expect(await invoiceRow(db, invoice!.id)).toMatchObject({ status: "paid" });
    const visa = await paidInvoice(c, catalog);
    await drainOutbox(db);
    expect(await db.select().from(disputes).where(eq(disputes.customerId, visa.customerId))).toHaveLength(0);

    // Through the API.
    const { key } = await newKey();
    const list = await call(listDisputes, { method: "GET", key, path: `/disputes?payment=${row.paymentId}` });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { object: string; data: Record<string, unknown>[]; has_more: boolean };
    expect(body).toMatchObject({ object: "list", has_more: false });
    expect(body.data).toEqual([
      {
        id: row.id,
        object: "dispute",
        payment: row.paymentId,
        invoice: invoice!.id,
        customer: customer.id,
        amount: 1000,
        currency: "aud",
        status: "needs_response",
        reason: "fraudulent",
        evidence_due_by: row.evidenceDueBy!.toISOString(),
        funds_withdrawn: true,
        funds_reinstated: false,
        livemode: false,
        created: row.createdAt.toISOString(),
      },
    ]);
    const byCustomer = (await (await call(listDisputes, { method: "GET", key, path: `/disputes?customer=${customer.id}` })).json()) as { data: { id: string }[] };
    expect(byCustomer.data.map((d) => d.id)).toEqual([row.id]);
    const one = await call(getDispute, { method: "GET", key, path: `/disputes/${row.id}`, params: { id: row.id } });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id: row.id, object: "dispute", status: "needs_response" });

    // Another mode's key, an unknown id and a malformed id are the same 404.
    const live = await newKey(true);
    for (const [k, id] of [[live.key, row.id], [key, "dp_doesnotexist00000000"], [key, "in_wrongprefix"]] as const) {
      const res = await call(getDispute, { method: "GET", key: k, path: `/disputes/${id}`, params: { id } });
      expect(res.status).toBe(404);
      expect((await problemOf(res)).code).toBe("not_found");
    }
    const liveList = (await (await call(listDisputes, { method: "GET", key: live.key, path: `/disputes?payment=${row.paymentId}` })).json()) as { data: unknown[] };
    expect(liveList.data).toEqual([]);
  });

  it("the Dispute resource and both operations are in the OpenAPI document", () => {
    const doc = buildOpenApiDocument(allOperations) as unknown as { paths: Record<string, Record<string, { operationId: string }>>; components: { schemas: Record<string, unknown> } };
    expect(doc.components.schemas).toHaveProperty("Dispute");
    expect(doc.paths["/disputes"]?.get?.operationId).toBe("listDisputes");
    expect(doc.paths["/disputes/{id}"]?.get?.operationId).toBe("retrieveDispute");
  });
});
