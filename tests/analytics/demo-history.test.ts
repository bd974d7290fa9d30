import { asc, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, queryRows, type Db } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { DEMO_HISTORY } from "@/db/seed-history";
import { mrrMovements } from "@/db/schema";
import { parseCsv } from "@/lib/csv/csv";
import { parseMajor } from "@/lib/money";
import { rebuildMrr } from "@/lib/services/analytics/mrr";
import { exportJournal } from "@/lib/services/revenue/export-journal";
import { revenueSummary } from "@/lib/services/revenue/revenue-summary";
import { ctx, NOW } from "../services/support";

/**
 * The demo seed's 18 months, simulated through the billing run and the services (db/seed-history.ts):
 * what it must contain for every chart to mean something, and its books balancing month by month.
 */
let db: Db;
let seconds = 0;

beforeAll(async () => {
  db = await getDb();
  const started = Date.now();
  await seedDemo(db, NOW);
  seconds = (Date.now() - started) / 1000;
}, 600_000);

/** Every UTC month of the history, its first (partial) month to NOW's. */
function historyMonths(): string[] {
  const first = new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth() - DEMO_HISTORY.months, 1));
  const months: string[] = [];
  for (const d = first; d <= NOW; d.setUTCMonth(d.getUTCMonth() + 1)) months.push(d.toISOString().slice(0, 7));
  return months;
}

describe("the demo history", () => {
  it("simulates a few hundred customers in AUD and USD with every kind of movement, failed payments and recoveries", async () => {
    console.info(`demo seed with ${DEMO_HISTORY.months} months of history: ${seconds.toFixed(1)} s`);
    const [counts] = await queryRows<Record<string, number>>(
      db,
      sql`select
        (select count(*)::int from customers where metadata ->> 'demo' = 'history') as customers,
        (select count(distinct currency)::int from customers where metadata ->> 'demo' = 'history') as currencies,
        (select count(*)::int from invoices where status = 'paid') as paid,
        (select count(*)::int from payments where status = 'failed') as failed_payments,
        (select count(distinct p.invoice_id)::int from payments p join invoices i on i.id = p.invoice_id where p.status = 'failed' and i.status = 'paid') as recovered,
        (select count(*)::int from subscriptions s join prices pr on pr.id = (select price_id from subscription_items si where si.subscription_id = s.id limit 1) join plans pl on pl.id = pr.plan_id where pl.interval = 'year') as annual,
        (select count(*)::int from subscription_status_history where to_status = 'trialing') as trials,
        (select count(*)::int from subscription_status_history where to_status = 'paused') as pauses,
        (select count(*)::int from invoice_lines where discount_amount > 0) as discounted_lines,
        (select count(*)::int from credit_notes) as credit_notes`,
    );
    expect(counts?.customers).toBeGreaterThanOrEqual(200);
    expect(counts?.currencies).toBe(2);
    expect(counts?.paid).toBeGreaterThan(1000);
    for (const key of ["failed_payments", "recovered", "annual", "trials", "pauses", "discounted_lines"] as const) expect(counts?.[key], key).toBeGreaterThan(0);

    const kinds = await queryRows<{ currency: string; kind: string; n: number }>(db, sql`select currency, kind, count(*)::int as n from mrr_movements group by 1, 2`);
    for (const currency of ["aud", "usd"]) {
      for (const kind of ["new", "expansion", "contraction", "churn", "reactivation"]) {
        expect(kinds.find((k) => k.currency === currency && k.kind === kind)?.n ?? 0, `${currency} ${kind}`).toBeGreaterThan(0);
      }
    }
    // The MRR tables are current: a rebuild changes nothing.
    const stored = await db.select().from(mrrMovements).orderBy(asc(mrrMovements.customerId), asc(mrrMovements.currency), asc(mrrMovements.day));
    await rebuildMrr(db);
    expect(await db.select().from(mrrMovements).orderBy(asc(mrrMovements.customerId), asc(mrrMovements.currency), asc(mrrMovements.day))).toEqual(stored);
    // The history's notifications are history: none of its customers' events is waiting to go out.
    const [pending] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from outbox_events e join customers c on c.id = e.customer_id where e.dispatched_at is null and c.metadata ->> 'demo' = 'history'`);
    expect(pending?.n).toBe(0);
  });

  it("balances its journal to zero in every month and currency, the deferred revenue account moving as the waterfall's", async () => {
    const months = historyMonths();
    expect(months).toHaveLength(DEMO_HISTORY.months + 1);
    for (const month of months) {
      const exported = await exportJournal(ctx(db), { month, format: "csv" });
      expect(exported.journals.map((j) => j.currency), month).toEqual(["aud", "usd"]);
      for (const journal of exported.journals) {
        expect(journal.lines.reduce((sum, l) => sum + l.amount, 0), `${month} ${journal.currency}`).toBe(0);
        const waterfall = await revenueSummary(ctx(db), { month, currency: journal.currency });
        const deferred = journal.lines.filter((l) => l.account === "deferred").reduce((sum, l) => sum + l.amount, 0);
        expect(-deferred, `${month} ${journal.currency} deferred`).toBe(waterfall.deferredClosing - waterfall.deferredOpening);
      }
      // The file itself: debits equal credits per currency, in minor units.
      const [header, ...rows] = parseCsv(exported.body.replace(/^\uFEFF/, ""));
      const col = (name: string) => header!.indexOf(name);
      const totals = new Map<string, number>();
      for (const row of rows) {
        const currency = row[col("currency")]!;
        const amount = (text: string) => (text === "" ? 0 : parseMajor(text, currency));
        totals.set(currency, (totals.get(currency) ?? 0) + amount(row[col("debit")]!) - amount(row[col("credit")]!));
      }
      expect(Object.fromEntries(totals), month).toEqual({ aud: 0, usd: 0 });
    }
  });
});
