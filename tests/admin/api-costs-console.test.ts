import { beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { getDb, type Db } from "@/db/client";
import { costRatesOf } from "@/db/queries/api-costs";
import { auditLog, users, type Role } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { parseCsv } from "@/lib/csv/csv";
import { newId, randomToken } from "@/lib/ids";
import { createCostProvider, retrieveCostProvider } from "@/lib/services/api-costs/providers";
import { createMeter } from "@/lib/services/usage/create-meter";

// The session is next-auth's (a library), and the request headers and cache are Next's: the test
// decides who is signed in and where the form came from. Everything else is real.
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

const { GET } = await import("@/app/admin/api-costs/export.csv/route");
const { addCostRateAction, stopRebillAction, updateCostProviderAction, updateRebillAction } = await import("@/app/admin/api-costs/providers/actions");

let db: Db;
const staff: Partial<Record<Role, string>> = {};
let providerId: string;
const code = `cons_${randomToken(6).toLowerCase()}`;

beforeAll(async () => {
  db = await getDb();
  for (const role of ["support", "billing_admin", "finance_viewer"] as const) {
    const id = newId("user");
    await db.insert(users).values({ id, email: `${role}-${code}@staff.test`, name: role, role });
    staff[role] = id;
  }
  const ctx = { db, actor: systemActor("test"), now: new Date() };
  ({
    provider: { id: providerId },
  } = await createCostProvider(ctx, { code, name: "Console API", regions: ["AU"], rates: [{ operation: "lookup", unit: "lookup", unitCostDecimal: "0.5", currency: "aud", effectiveFrom: new Date("2026-01-01T00:00:00Z") }] }));
});

const as = (role: Role) => {
  session.uid = staff[role] ?? null;
};
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

describe("GET /admin/api-costs/export.csv", () => {
  it("is refused to support (403, logged) and gives finance a CSV with a header row", async () => {
    as("support");
    const refused = await GET(new NextRequest("http://tally.test/admin/api-costs/export.csv"));
    expect(refused.status).toBe(403);
    const [denial] = await db.select().from(auditLog).where(and(eq(auditLog.actorId, staff.support!), eq(auditLog.action, "permission.denied")));
    expect(denial?.entityId).toBe("api_costs.read");

    as("finance_viewer");
    const response = await GET(new NextRequest("http://tally.test/admin/api-costs/export.csv?group_by=provider"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="api-costs-\d{4}-\d{2}-by-provider\.csv"/);
    expect(parseCsv(await response.text())[0]).toEqual(["month", "provider", "units", "costs", "cost", "cost_exact_minor_units", "currency"]);
  });

  it("answers 422 for a month in the future or an unknown grouping", async () => {
    as("finance_viewer");
    expect((await GET(new NextRequest("http://tally.test/admin/api-costs/export.csv?month=2999-01"))).status).toBe(422);
    expect((await GET(new NextRequest("http://tally.test/admin/api-costs/export.csv?group_by=plan"))).status).toBe(422);
  });
});

describe("the provider forms", () => {
  it("add a rate to the history (never an edit), audited, and name the field a mistake belongs to", async () => {
    as("billing_admin");
    const rate = { id: providerId, operation: "lookup", region: "AU", unit: "lookup", unit_cost_decimal: "0.75", currency: "AUD", effective_from: "2026-06-01T00:00", note: "June price list" };
    const added = await addCostRateAction({}, form(rate));
    expect(added).toMatchObject({ ok: true, message: expect.stringContaining("0.75 minor units of AUD per lookup from 2026-06-01 00:00 UTC") });
    const rates = await costRatesOf(db, [providerId]);
    expect(rates.map((r) => [r.region, r.unitCostDecimal, r.effectiveFrom.toISOString(), r.note])).toEqual([
      [null, "0.5", "2026-01-01T00:00:00.000Z", null],
      ["AU", "0.75", "2026-06-01T00:00:00.000Z", "June price list"],
    ]);
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, providerId), eq(auditLog.action, "cost_provider.rate_added")));
    expect(entry?.actorId).toBe(staff.billing_admin);

    // The same instant again is refused: rates are never edited.
    expect(await addCostRateAction({}, form(rate))).toMatchObject({ fieldErrors: { effective_from: expect.stringContaining("never edited") } });
    expect(await addCostRateAction({}, form({ ...rate, unit_cost_decimal: "-1" }))).toMatchObject({ fieldErrors: { unit_cost_decimal: expect.any(String) } });
    expect(await addCostRateAction({}, form({ ...rate, currency: "xyz", effective_from: "" }))).toMatchObject({ fieldErrors: { currency: expect.stringContaining("not a supported currency") } });
    expect(await costRatesOf(db, [providerId])).toHaveLength(2);
  });

  it("edit the name, regions and quota (audited); finance viewers are refused", async () => {
    as("finance_viewer");
    expect(await updateCostProviderAction({}, form({ id: providerId, name: "Nope" }))).toMatchObject({ error: expect.stringMatching(/does not allow|not allowed/i) });
    as("billing_admin");
    expect(await updateCostProviderAction({}, form({ id: providerId, name: "Console API v2", regions: "au, nz  AU", quota_limit: "20000", quota_period: "day" }))).toMatchObject({ ok: true });
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, providerId), eq(auditLog.action, "cost_provider.updated")));
    expect(entry?.after).toMatchObject({ name: "Console API v2", regions: ["AU", "NZ"], quota: { limit: 20000, period: "day" } });
    expect(await updateCostProviderAction({}, form({ id: providerId, name: "Console API v2", quota_limit: "lots" }))).toMatchObject({ fieldErrors: { quota_limit: expect.any(String) } });
  });

  it("switch rebilling on, change it and off (audited), refusing an unknown or non-sum meter next to the field; finance viewers are refused", async () => {
    const ctx = { db, actor: systemActor("test"), now: new Date() };
    const sum = await createMeter(ctx, { code: `${code}_sum`, name: "Pass-through", aggregation: "sum", valueProperty: "amount" });
    const count = await createMeter(ctx, { code: `${code}_count`, name: "Calls", aggregation: "count" });
    const rebill = { id: providerId, meter: sum.code, markup_percent: "12.5", currency: "aud" };
    as("finance_viewer");
    expect(await updateRebillAction({}, form(rebill))).toMatchObject({ error: expect.stringMatching(/does not allow|not allowed/i) });
    expect(await stopRebillAction({}, form({ id: providerId }))).toMatchObject({ error: expect.stringMatching(/does not allow|not allowed/i) });

    as("billing_admin");
    expect(await updateRebillAction({}, form({ ...rebill, meter: `${code}_nope` }))).toMatchObject({ fieldErrors: { meter: `No meter has the code "${code}_nope".` } });
    expect(await updateRebillAction({}, form({ ...rebill, meter: count.code }))).toMatchObject({ fieldErrors: { meter: expect.stringContaining("must aggregate sum, not count") } });
    expect(await updateRebillAction({}, form({ ...rebill, markup_percent: "1.234" }))).toMatchObject({ fieldErrors: { markup_percent: expect.any(String) } });
    expect(await updateRebillAction({}, form({ ...rebill, currency: "xyz" }))).toMatchObject({ fieldErrors: { currency: expect.stringContaining("not a supported currency") } });
    const provider = async () => (await retrieveCostProvider({ db, actor: systemActor("test"), now: new Date() }, providerId)).provider;
    expect(await provider()).toMatchObject({ rebillMeter: null });

    expect(await updateRebillAction({}, form(rebill))).toMatchObject({ ok: true, message: `Rebilling on: costs attributed to a customer feed ${sum.code} at cost + 12.5% in AUD, from now on.` });
    expect(await provider()).toMatchObject({ rebillMeter: sum.code, rebillMarkupBps: 1250, rebillCurrency: "aud" });
    expect(await updateRebillAction({}, form({ ...rebill, markup_percent: "0" }))).toMatchObject({ ok: true });
    expect(await provider()).toMatchObject({ rebillMarkupBps: 0 });
    expect(await stopRebillAction({}, form({ id: providerId }))).toMatchObject({ ok: true });
    expect(await provider()).toMatchObject({ rebillMeter: null, rebillMarkupBps: null, rebillCurrency: null });
    const entries = await db.select().from(auditLog).where(and(eq(auditLog.entityId, providerId), eq(auditLog.action, "cost_provider.updated"), eq(auditLog.actorId, staff.billing_admin!)));
    expect(entries.map((e) => (e.after as { rebillMarkupBps: number | null }).rebillMarkupBps).sort()).toEqual(expect.arrayContaining([0, 1250, null]));
  });
});
