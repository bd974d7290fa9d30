import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { getDb, type Db } from "@/db/client";
import { auditLog, mrrMovements, settings, users, type Role } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { DEFAULT_KPI_TARGETS } from "@/lib/analytics/kpi-targets";
import { parseCsv } from "@/lib/csv/csv";
import { newId, randomToken } from "@/lib/ids";
import { kpiReport, listKpiTargets, removeKpiTarget, setKpiTarget } from "@/lib/services/analytics/kpi-targets";
import { listFxRates } from "@/lib/services/api-costs/fx";
import { newKey } from "../api/support";
import { makeApiCustomer } from "../usage/support";
import { at, finalizedInvoice } from "./support";

// The session is next-auth's and the request headers and cache are Next's: the test decides who is
// signed in. Everything else is real.
const session = vi.hoisted(() => ({ uid: null as string | null }));
vi.mock("next-auth", async (importOriginal) => {
  const actual = await importOriginal<typeof import("next-auth")>();
  return { ...actual, getServerSession: vi.fn(async () => (session.uid ? { uid: session.uid } : null)) };
});
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ origin: "http://tally.test", host: "tally.test" }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

const { GET } = await import("@/app/admin/analytics/export.csv/route");
const { saveKpiTargetAction, recordFxRateAction } = await import("@/app/admin/analytics/actions");

/**
 * Test-mode history in 2009 (a year no other test writes in), AUD:
 *   A 10 Jan new +1000 · 5 Feb expansion +500 (1500)
 *   B 20 Jan new +2000 · 12 Feb churn −2000
 * By month: Jan new 3000 → 3000; Feb expansion 500, churn −2000 → 1500. February: 2 customers at
 * the start, 1 churned (50 %); NRR (3000 − 2000 + 500) ÷ 3000 = 0.5.
 * And one AUD invoice of 3100 finalized 1 Mar 2009 for March: billed 3100, recognised 3100.
 */
let db: Db;
const staff: Partial<Record<Role, string>> = {};
const ctx = () => ({ db, actor: systemActor("test"), now: new Date() });

beforeAll(async () => {
  db = await getDb();
  const code = randomToken(6).toLowerCase();
  for (const role of ["support", "billing_admin", "finance_viewer"] as const) {
    const id = newId("user");
    await db.insert(users).values({ id, email: `${role}-kpi-${code}@staff.test`, name: role, role });
    staff[role] = id;
  }
  const [a, b] = [newId("customer"), newId("customer")];
  await db.insert(mrrMovements).values([
    { customerId: a, currency: "aud", day: "2009-01-10", mrr: 1000, delta: 1000, kind: "new", livemode: false },
    { customerId: a, currency: "aud", day: "2009-02-05", mrr: 1500, delta: 500, kind: "expansion", livemode: false },
    { customerId: b, currency: "aud", day: "2009-01-20", mrr: 2000, delta: 2000, kind: "new", livemode: false },
    { customerId: b, currency: "aud", day: "2009-02-12", mrr: 0, delta: -2000, kind: "churn", livemode: false },
  ]);
  const { key } = await newKey();
  const customer = (await makeApiCustomer(key, { name: "Waterfall Ltd", currency: "aud" })).id as string;
  await finalizedInvoice(db, customer, "aud", at("2009-03-01"), [{ amount: 3100, period: ["2009-03-01", "2009-04-01"] }], "paid");
});

beforeEach(async () => {
  await db.delete(settings).where(eq(settings.key, "analytics.kpi_targets"));
});

const as = (role: Role) => {
  session.uid = staff[role] ?? null;
};
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};
const csv = async (query: string) => {
  const response = await GET(new NextRequest(`http://tally.test/admin/analytics/export.csv?${query}`));
  return { response, rows: response.status === 200 ? parseCsv(await response.text()) : [] };
};

describe("KPI targets", () => {
  it("are seed 001's four until changed; a change replaces one metric's target and is audited with before and after", async () => {
    expect(await listKpiTargets(db)).toEqual(DEFAULT_KPI_TARGETS);
    const saved = await setKpiTarget(ctx(), { metric: "customer_churn_rate", direction: "at_most", target: "0.03" });
    expect(saved.find((t) => t.metric === "customer_churn_rate")).toEqual({ metric: "customer_churn_rate", direction: "at_most", target: "0.03" });
    expect(saved).toHaveLength(4);
    const added = await setKpiTarget(ctx(), { metric: "nrr", direction: "at_least", target: "1" });
    expect(added.map((t) => t.metric)).toEqual(["payment_success_rate", "customer_churn_rate", "recovery_rate", "recognition_accuracy", "nrr"]);
    const entries = await db.select().from(auditLog).where(and(eq(auditLog.action, "setting.updated"), eq(auditLog.entityId, "analytics.kpi_targets")));
    const change = entries.find((e) => JSON.stringify(e.after).includes('"0.03"') && !JSON.stringify(e.after).includes('"nrr"'));
    expect(change?.before).toEqual(DEFAULT_KPI_TARGETS);
    expect((await removeKpiTarget(ctx(), "nrr")).map((t) => t.metric)).not.toContain("nrr");
  });

  it("refuses what is not a target", async () => {
    await expect(setKpiTarget(ctx(), { metric: "mrr", direction: "at_least", target: "1" })).rejects.toMatchObject({ code: "validation_failed", param: "metric" });
    await expect(setKpiTarget(ctx(), { metric: "nrr", direction: "above", target: "1" })).rejects.toMatchObject({ code: "validation_failed", param: "direction" });
    await expect(setKpiTarget(ctx(), { metric: "nrr", direction: "at_least", target: "0.12345" })).rejects.toMatchObject({ code: "validation_failed", param: "target" });
    await expect(removeKpiTarget(ctx(), "nrr")).rejects.toMatchObject({ code: "validation_failed" });
    expect(await listKpiTargets(db)).toEqual(DEFAULT_KPI_TARGETS);
  });

  it("report actual against target: churn missed, NRR met, no payments is no data", async () => {
    await setKpiTarget(ctx(), { metric: "nrr", direction: "at_least", target: "0.5" });
    const report = await kpiReport(ctx(), { date: "2009-02-28", currency: "aud" });
    expect(report).toMatchObject({ date: "2009-02-28", period_start: "2009-02-01", currency: "aud" });
    const byMetric = Object.fromEntries(report.results.map((r) => [r.metric, r]));
    expect(byMetric.customer_churn_rate).toMatchObject({ actual: "0.5", target: "0.05", status: "missed" });
    expect(byMetric.nrr).toMatchObject({ actual: "0.5", status: "met" });
    expect(byMetric.payment_success_rate).toMatchObject({ actual: null, status: "no_data" });
    expect(byMetric.recognition_accuracy).toMatchObject({ actual: null, status: "no_data" });
    const march = await kpiReport(ctx(), { date: "2009-03-31", currency: "aud" });
    expect(march.results.find((r) => r.metric === "recognition_accuracy")).toMatchObject({ actual: "1", status: "met" });
  });

  it("are edited from the console by a billing admin, not by finance", async () => {
    as("finance_viewer");
    const refused = await saveKpiTargetAction({ ok: false }, form({ metric: "recovery_rate", direction: "at_least", target: "85" }));
    expect(refused).toMatchObject({ error: expect.stringMatching(/permission|role|access/i) });
    as("billing_admin");
    const wrong = await saveKpiTargetAction({ ok: false }, form({ metric: "recovery_rate", direction: "at_least", target: "eighty" }));
    expect(wrong).toMatchObject({ fieldErrors: { target: "Enter the target in per cent, e.g. 99 or 99.5." } });
    const saved = await saveKpiTargetAction({ ok: false }, form({ metric: "recovery_rate", direction: "at_least", target: "85.5" }));
    expect(saved).toMatchObject({ ok: true, message: "Target saved: Failed-payment recovery at least 85.5%." });
    expect((await listKpiTargets(db)).find((t) => t.metric === "recovery_rate")?.target).toBe("0.855");
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.actorId, staff.billing_admin!), eq(auditLog.action, "setting.updated")));
    expect(entry?.entityId).toBe("analytics.kpi_targets");
  });
});

describe("exchange rates on the Analytics page", () => {
  it("are recorded by a billing admin (the same day again replaces the rate), audited; finance may not", async () => {
    as("finance_viewer");
    const refused = await recordFxRateAction({ ok: false }, form({ base: "nzd", quote: "aud", rate: "0.91", date: "2009-02-01" }));
    expect(refused).toMatchObject({ error: expect.stringMatching(/permission|role|access/i) });
    as("billing_admin");
    const wrong = await recordFxRateAction({ ok: false }, form({ base: "nzd", quote: "aud", rate: "ninety", date: "2009-02-01" }));
    expect(wrong).toMatchObject({ fieldErrors: { rate: "Enter the rate as a decimal number, e.g. 1.5234." } });
    const same = await recordFxRateAction({ ok: false }, form({ base: "aud", quote: "AUD", rate: "1", date: "2009-02-01" }));
    expect(same).toMatchObject({ error: "quote must differ from base." });
    expect(await recordFxRateAction({ ok: false }, form({ base: "NZD", quote: "aud", rate: "0.91", date: "2009-02-01" }))).toMatchObject({ ok: true, message: "Recorded: 1 NZD = 0.91 AUD on 2009-02-01." });
    expect(await recordFxRateAction({ ok: false }, form({ base: "nzd", quote: "aud", rate: "0.915", date: "2009-02-01" }))).toMatchObject({ ok: true });
    const rates = (await listFxRates(db, { base: "nzd", quote: "aud", limit: 10 })).filter((r) => r.date === "2009-02-01");
    expect(rates.map((r) => r.rate)).toEqual(["0.915"]);
    const entries = await db.select().from(auditLog).where(and(eq(auditLog.actorId, staff.billing_admin!), eq(auditLog.action, "fx_rate.recorded")));
    expect(entries.map((e) => e.entityId)).toEqual(["nzd:aud:2009-02-01", "nzd:aud:2009-02-01"]);
  });
});

describe("GET /admin/analytics/export.csv", () => {
  // Over 92 days: by month.
  const range = "range=custom&from=2008-11-01&to=2009-02-28";

  it("is refused to support (403) and gives finance the MRR chart's figures, audited", async () => {
    as("support");
    expect((await csv(`chart=mrr&${range}&currency=aud`)).response.status).toBe(403);
    as("finance_viewer");
    const { response, rows } = await csv(`chart=mrr&${range}&currency=aud`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="analytics-mrr-2008-11-01-to-2009-02-28-aud.csv"');
    expect(rows[0]).toEqual(["bucket_start", "interval", "mrr", "mrr_minor_units", "new", "new_minor_units", "expansion", "expansion_minor_units", "reactivation", "reactivation_minor_units", "contraction", "contraction_minor_units", "churn", "churn_minor_units", "currency"]);
    expect(rows.slice(3)).toEqual([
      ["2009-01-01", "month", "30.00", "3000", "30.00", "3000", "0.00", "0", "0.00", "0", "0.00", "0", "0.00", "0", "AUD"],
      ["2009-02-01", "month", "15.00", "1500", "0.00", "0", "5.00", "500", "0.00", "0", "0.00", "0", "-20.00", "-2000", "AUD"],
    ]);
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.actorId, staff.finance_viewer!), eq(auditLog.action, "analytics.exported")));
    expect(entry).toMatchObject({ entityType: "analytics", entityId: "mrr" });
  });

  it("gives the trends, KPIs and waterfall", async () => {
    as("finance_viewer");
    const trends = await csv(`chart=trends&${range}&currency=aud`);
    expect(trends.rows.slice(3).map((r) => [r[0], r[2], r[5]])).toEqual([
      ["2009-01", "", ""],
      ["2009-02", "0.5", "0.5"],
    ]);
    const kpis = await csv(`chart=kpis&${range}&currency=aud`);
    expect(kpis.rows[0]).toEqual(["metric", "label", "period_start", "as_of", "direction", "target", "actual", "status"]);
    expect(kpis.rows.find((r) => r[0] === "customer_churn_rate")).toEqual(["customer_churn_rate", "Customer churn (monthly)", "2009-02-01", "2009-02-28", "at_most", "0.05", "0.5", "missed"]);
    const waterfall = await csv(`chart=waterfall&${range}&currency=aud&month=2009-03`);
    expect(waterfall.response.headers.get("content-disposition")).toContain("analytics-waterfall-2009-03-aud.csv");
    expect(waterfall.rows[1]).toEqual(["2009-03", "0.00", "31.00", "31.00", "0.00", "0.00", "0", "3100", "3100", "0", "0", "AUD"]);
  });

  it("gives the cohort grid, one row per cell, and the outcomes of the range, each audited", async () => {
    as("finance_viewer");
    const cohorts = await csv(`chart=cohorts&${range}&currency=aud`);
    expect(cohorts.rows[0]).toEqual(["cohort", "cohort_customers", "months_since_start", "month", "mrr", "mrr_minor_units", "revenue_retention", "customers", "customer_retention", "rate_date", "currency"]);
    // A and B start in January 2009: 3000, then 1500 with one of the two left.
    expect(cohorts.rows.slice(1)).toEqual([
      ["2009-01", "2", "0", "2009-01", "30.00", "3000", "1", "2", "1", "2009-02-28", "AUD"],
      ["2009-01", "2", "1", "2009-02", "15.00", "1500", "0.5", "1", "0.5", "2009-02-28", "AUD"],
    ]);
    // Nothing failed and nobody tried to cancel in the range: one row of zeros, no currency.
    const dunning = await csv(`chart=dunning&${range}`);
    expect(dunning.rows.slice(0, 2).map((r) => r.slice(0, 8))).toEqual([
      ["from", "to", "currency", "entered", "recovered", "lost", "in_dunning", "recovery_rate"],
      ["2008-11-01", "2009-02-28", "", "0", "0", "0", "0", ""],
    ]);
    const retention = await csv(`chart=retention&${range}`);
    expect(retention.rows[1]!.slice(0, 4)).toEqual(["2008-11-01", "2009-02-28", "0", "0"]);
    const exported = await db.select({ entityId: auditLog.entityId }).from(auditLog).where(and(eq(auditLog.actorId, staff.finance_viewer!), eq(auditLog.action, "analytics.exported")));
    expect(exported.map((e) => e.entityId)).toEqual(expect.arrayContaining(["cohorts", "dunning", "retention"]));
  });

  it("answers 422 for an unknown chart, a backwards range or a bad month", async () => {
    as("finance_viewer");
    expect((await csv("chart=ltv")).response.status).toBe(422);
    expect((await csv("chart=mrr&range=custom&from=2009-03-01&to=2009-01-01")).response.status).toBe(422);
    expect((await csv("chart=waterfall&month=2009-13")).response.status).toBe(422);
  });
});
