import { systemFormatter } from "@/lib/format";
import { beforeAll, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { creditNotes, customers, invoices, payments, refunds } from "@/db/schema";
import { POST as postProvider } from "@/app/api/v1/cost_providers/route";
import { POST as postCost } from "@/app/api/v1/api_costs/route";
import { POST as postFx } from "@/app/api/v1/fx_rates/route";
import { GET as getProfitability } from "@/app/api/v1/customers/[id]/profitability/route";
import { GET as getUnprofitable } from "@/app/api/v1/api_costs/unprofitable_customers/route";
import { systemActor } from "@/lib/actor";
import { newId, randomToken } from "@/lib/ids";
import { apiCostHints } from "@/lib/services/api-costs/hints";
import { profitabilityByPlan, unprofitableCustomers } from "@/lib/services/api-costs/profitability";
import { makePlan } from "../factories";
import { call, newKey, problemOf } from "../api/support";
import { answer, makeApiCustomer, uniqueCode, type Json } from "../usage/support";

/**
 * One customer over the last ten days, every figure by hand (reporting currency aud; 1 chf = 1.5 aud):
 *   revenue   I1 paid aud 11000 incl. 1000 tax → +10000; I4 open chf 2000, no tax → +3000 aud;
 *             I2 void and I3 finalized 20 days ago → 0;
 *             CN1 (outcome refund, 2200 incl. 200 tax; its refund R1 is not counted again) → −2000;
 *             CN2 (outcome credit, 1100 incl. 100 tax) → −1000; CN3 void → 0       = 10000
 *   api cost  100.4 aud given + 1,000,000 tokens × 0.000015 chf cents = 15 chf cents = 22.5 aud
 *             = 122.9 exact → 123 (rounded once); an unattributed cost and another customer's → 0
 *   fees      P1 217 aud + P4 88 chf = 132 aud; P2 failed and P0 settled 20 days ago → 0   = 349
 *   margin    10000 − 123 − 349                                                           = 9528
 */
let key: string;
let db: Db;
let customer: Json;
let other: Json;
let providerCode: string;
const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
const from = () => ago(10).toISOString();
const to = () => new Date(Date.now() + 60_000).toISOString();

function invoice(customerId: string, values: { status: "open" | "paid" | "void"; currency: string; subtotal: number; tax: number; finalizedAt: Date }): typeof invoices.$inferInsert {
  const total = values.subtotal + values.tax;
  return {
    id: newId("invoice"),
    customerId,
    status: values.status,
    billingReason: "manual",
    currency: values.currency,
    subtotal: values.subtotal,
    tax: values.tax,
    total,
    amountDue: total,
    amountPaid: values.status === "paid" ? total : 0,
    amountRemaining: values.status === "open" ? total : 0,
    collectionMethod: "charge_automatically",
    finalizedAt: values.finalizedAt,
    paidAt: values.status === "paid" ? values.finalizedAt : null,
    hostedToken: randomToken(24),
    createdAt: values.finalizedAt,
  };
}

function payment(inv: typeof invoices.$inferInsert, values: { amount: number; status: "succeeded" | "failed"; fee: number; settledAt: Date }): typeof payments.$inferInsert {
  return {
    id: newId("payment"),
    invoiceId: inv.id,
    customerId: inv.customerId,
    amount: values.amount,
    currency: inv.currency,
    status: values.status,
    gateway: "sandbox",
    gatewayId: `pi_sbx_${randomToken(12)}`,
    idempotencyKey: `profit-${randomToken(16)}`,
    attempt: 1,
    fee: values.fee,
    createdAt: values.settledAt,
    settledAt: values.settledAt,
  };
}

function creditNote(inv: typeof invoices.$inferInsert, values: { amount: number; tax: number; outcome: "refund" | "credit"; status?: "issued" | "void"; at: Date }): typeof creditNotes.$inferInsert {
  return {
    id: newId("creditNote"),
    number: `CN-${randomToken(10)}`,
    invoiceId: inv.id,
    customerId: inv.customerId,
    currency: inv.currency,
    amount: values.amount,
    tax: values.tax,
    reason: "other",
    outcome: values.outcome,
    status: values.status ?? "issued",
    createdAt: values.at,
  };
}

beforeAll(async () => {
  db = await getDb();
  ({ key } = await newKey());
  customer = await makeApiCustomer(key, { name: "Profit Pty Ltd" });
  other = await makeApiCustomer(key, { name: "Costly Co" });
  const c = customer.id;
  // The chf→aud rate for every day of the test (the latest on or before a day applies).
  await answer(postFx, key, 200, { path: "/fx_rates", body: { base: "chf", quote: "aud", rate: "1.5", date: ago(40).toISOString().slice(0, 10) } });

  const i1 = invoice(c, { status: "paid", currency: "aud", subtotal: 10000, tax: 1000, finalizedAt: ago(3) });
  const i2 = invoice(c, { status: "void", currency: "aud", subtotal: 5000, tax: 500, finalizedAt: ago(3) });
  const i3 = invoice(c, { status: "paid", currency: "aud", subtotal: 2000, tax: 200, finalizedAt: ago(20) });
  const i4 = invoice(c, { status: "open", currency: "chf", subtotal: 2000, tax: 0, finalizedAt: ago(2) });
  await db.insert(invoices).values([i1, i2, i3, i4]);
  const p1 = payment(i1, { amount: 11000, status: "succeeded", fee: 217, settledAt: ago(3) });
  await db.insert(payments).values([
    p1,
    payment(i1, { amount: 11000, status: "failed", fee: 50, settledAt: ago(3) }),
    payment(i3, { amount: 2200, status: "succeeded", fee: 99, settledAt: ago(20) }),
    payment(i4, { amount: 2000, status: "succeeded", fee: 88, settledAt: ago(1) }),
  ]);
  const cn1 = creditNote(i1, { amount: 2200, tax: 200, outcome: "refund", at: ago(2) });
  await db.insert(creditNotes).values([cn1, creditNote(i1, { amount: 1100, tax: 100, outcome: "credit", at: ago(2) }), creditNote(i1, { amount: 550, tax: 50, outcome: "credit", status: "void", at: ago(2) })]);
  await db.insert(refunds).values({
    id: newId("refund"),
    paymentId: p1.id,
    invoiceId: i1.id,
    customerId: c,
    amount: 2200,
    currency: "aud",
    status: "succeeded",
    creditNoteId: cn1.id,
    idempotencyKey: `profit-refund-${randomToken(12)}`,
    createdAt: ago(2),
  });

  providerCode = uniqueCode("llm");
  await answer(postProvider, key, 200, {
    path: "/cost_providers",
    body: {
      code: providerCode,
      name: "LLM (example rates)",
      regions: ["ZZ"],
      quota: { limit: 1_200_000, period: "month" },
      rates: [{ operation: "prompt", unit: "token", unit_cost_decimal: "0.000015", currency: "chf", effective_from: "2020-01-01T00:00:00Z" }],
    },
  });
  const cost = (body: Record<string, unknown>) => answer(postCost, key, 201, { path: "/api_costs", body: { identifier: `profit-${randomToken(10)}`, provider: providerCode, operation: "prompt", ...body } });
  await cost({ units: 1, cost_decimal: "100.4", currency: "aud", customer: c, timestamp: ago(1).toISOString() });
  await cost({ units: 1_000_000, region: "ZZ", customer: c, timestamp: ago(2).toISOString() });
  await cost({ units: 1, cost_decimal: "999", currency: "aud", timestamp: ago(2).toISOString() });
  await cost({ units: 1, cost_decimal: "500", currency: "aud", customer: other.id, timestamp: ago(1).toISOString() });
});

describe("GET /customers/{id}/profitability", () => {
  it("equals the hand-computed figures: revenue net of tax, refunds and credit notes, less API costs and fees", async () => {
    const body = await answer<Record<string, unknown>>(getProfitability, key, 200, {
      method: "GET",
      path: `/customers/${customer.id}/profitability?from=${encodeURIComponent(from())}&to=${encodeURIComponent(to())}&currency=aud`,
      params: { id: customer.id },
    });
    expect(body).toMatchObject({ object: "customer_profitability", customer: customer.id, revenue: 10000, api_cost: 123, gateway_fees: 349, margin: 9528, currency: "aud" });
  });

  it("is in the reporting currency asked for, converted at each day's rate and rounded once", async () => {
    const body = await answer<Record<string, unknown>>(getProfitability, key, 200, {
      method: "GET",
      path: `/customers/${customer.id}/profitability?from=${encodeURIComponent(from())}&to=${encodeURIComponent(to())}&currency=chf`,
      params: { id: customer.id },
    });
    // 10000 / 1.5 = 6666.67 → 6667; 122.9 / 1.5 = 81.93 → 82; 349 / 1.5 = 232.67 → 233.
    expect(body).toMatchObject({ revenue: 6667, api_cost: 82, gateway_fees: 233, margin: 6667 - 82 - 233, currency: "chf" });
  });

  it("answers 404 for an unknown customer and 422 for a reversed range", async () => {
    const missing = await call(getProfitability, { key, method: "GET", path: `/customers/cus_nope/profitability?from=${encodeURIComponent(from())}&to=${encodeURIComponent(to())}`, params: { id: "cus_nope" } });
    expect(missing.status).toBe(404);
    const reversed = await call(getProfitability, { key, method: "GET", path: `/customers/${customer.id}/profitability?from=${encodeURIComponent(to())}&to=${encodeURIComponent(from())}`, params: { id: customer.id } });
    expect(reversed.status).toBe(422);
    expect(await problemOf(reversed)).toMatchObject({ code: "validation_failed", param: "to" });
  });
});

describe("profitability per plan and unprofitable customers", () => {
  it("sums the plan's customers exactly, rounding once per plan, and lists customers below zero", async () => {
    const { planId } = await makePlan(db, { code: "profit", unitAmount: 1000 });
    await db
      .update(customers)
      .set({ currentPlanId: planId })
      .where(inArray(customers.id, [customer.id, other.id]));
    const ctx = { db, actor: systemActor("test"), now: new Date() };
    const range = { from: ago(10), to: new Date(Date.now() + 60_000), currency: "aud" };
    const plan = (await profitabilityByPlan(ctx, range)).find((p) => p.plan?.id === planId);
    // 122.9 + 500 = 622.9 → 623 for the plan.
    expect(plan).toMatchObject({ customers: 2, revenue: 10000, apiCost: 623, gatewayFees: 349, margin: 10000 - 623 - 349 });
    const losing = await unprofitableCustomers(ctx, range);
    const costly = losing.find((c) => c.customer.id === other.id);
    expect(costly).toMatchObject({ revenue: 0, apiCost: 500, gatewayFees: 0, margin: -500, customer: { name: "Costly Co" }, plan: { id: planId } });
    expect(losing.some((c) => c.customer.id === customer.id)).toBe(false);
    expect(losing.every((c) => c.margin < 0)).toBe(true);
    await db.update(customers).set({ currentPlanId: null }).where(eq(customers.id, other.id));
  });

  it("GET /api_costs/unprofitable_customers lists them, the worst first, paged by limit", async () => {
    const path = `/api_costs/unprofitable_customers?from=${encodeURIComponent(from())}&to=${encodeURIComponent(to())}&currency=aud`;
    const list = await answer<{ data: { customer: string; margin: number }[]; has_more: boolean }>(getUnprofitable, key, 200, { method: "GET", path });
    expect(list.data.find((r) => r.customer === other.id)).toMatchObject({ revenue: 0, api_cost: 500, gateway_fees: 0, margin: -500, currency: "aud" });
    expect(list.data.some((r) => r.customer === customer.id)).toBe(false);
    const margins = list.data.map((r) => r.margin);
    expect(margins).toEqual([...margins].sort((a, b) => a - b));
    const one = await answer<{ data: unknown[] }>(getUnprofitable, key, 200, { method: "GET", path: `${path}&limit=1` });
    expect(one.data).toHaveLength(1);
  });
});

describe("apiCostHints", () => {
  it("gathers the quota, the cheaper provider, the customer costing more than they pay and the fee shares", async () => {
    const cheaper = uniqueCode("llm2");
    await answer(postProvider, key, 200, {
      path: "/cost_providers",
      body: { code: cheaper, name: "Cheaper LLM", regions: ["ZZ"], rates: [{ operation: "prompt", unit: "token", unit_cost_decimal: "0.00001", currency: "aud", effective_from: "2020-01-01T00:00:00Z" }] },
    });
    const now = new Date();
    // A cost this month on the provider, in ZZ: 1,000,000 more tokens makes its quota (1,200,000 a month) ≥ 80 % whatever day it is.
    await answer(postCost, key, 201, { path: "/api_costs", body: { identifier: `profit-${randomToken(10)}`, provider: providerCode, operation: "prompt", region: "ZZ", units: 1_000_000, timestamp: new Date(now.getTime() - 60_000).toISOString() } });
    const { hints, currency } = await apiCostHints({ db, actor: systemActor("test"), now }, now, systemFormatter(), "aud");
    expect(currency).toBe("aud");
    // The tokens recorded two days ago count too when that was this month: at or above 100 % is critical.
    const quota = hints.find((h) => h.kind === "quota_near" && h.provider === providerCode);
    const used = quota?.kind === "quota_near" ? quota.used : 0;
    expect(used).toBeGreaterThanOrEqual(1_000_000);
    expect(used).toBeLessThanOrEqual(2_000_003);
    expect(quota).toMatchObject({ severity: used >= 1_200_000 ? "critical" : "warning", limit: 1_200_000, percent: Math.round((1000 * used) / 1_200_000) / 10 });
    // 0.000015 chf = 0.0000225 aud a token against 0.00001 aud.
    const swap = hints.find((h) => h.kind === "cheaper_provider" && h.provider === providerCode);
    expect(swap).toMatchObject({ region: "ZZ", operation: "prompt", alternative: cheaper, unitCost: 0.0000225, alternativeUnitCost: 0.00001 });
    expect(hints.find((h) => h.kind === "cost_exceeds_revenue" && h.customerId === other.id)).toMatchObject({ severity: "warning", apiCost: 500, revenue: 0 });
    expect(hints.some((h) => h.kind === "cost_exceeds_revenue" && h.customerId === customer.id)).toBe(false);
    expect(hints.some((h) => h.kind === "fee_share")).toBe(true);
  });
});
