import { spawn } from "node:child_process";
import path from "node:path";
import { inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { invoices } from "@/db/schema";
import { seedDueSubscriptions } from "@/bench/billing-run/seed";
import { runDueSubscriptions } from "@/lib/services/billing-run/run-due-subscriptions";
import { reconcilePayments } from "@/lib/services/payments/reconcile";
import { retryDuePayments } from "@/lib/services/payments/retries/retry-due-payments";

/**
 * R15 (RELIABILITY.md): the process is killed at random points during a billing run, then the run
 * is repeated to completion. 1,000 subscriptions created 15 Sep 2026 each have a renewal due 15 Oct;
 * a child process (tests/reliability/r15-billing-run-child.ts, two overlapping runs on this file's
 * database) is SIGKILLed 50–400 ms into its run, three times; then the run completes in-process,
 * followed by the janitors a crash leaves work for (reconcile for payments left pending between the
 * gateway and our commit, the retry schedule for invoices issued but never charged).
 */
const COUNT = 1000;
const CREATED = new Date("2026-09-15T00:00:00Z");
const NOW = new Date("2026-10-20T00:00:00Z");
const ROOT = path.resolve(__dirname, "../..");

/**
 * Start the child billing run and SIGKILL it `delayMs` after it is connected; resolves when it has
 * died. tsx runs the script in a node process of its own: the child leads a process group and the
 * whole group is killed, so no orphan keeps billing.
 */
function runAndKill(delayMs: number): Promise<{ killed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, "tests/reliability/r15-billing-run-child.ts"), NOW.toISOString()], {
      cwd: ROOT,
      env: { ...process.env, TALLY_JOBS: "off", PGAPPNAME: "r15-billing-run" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const kill = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    };
    let output = "";
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (!timer && output.includes("ready")) timer = setTimeout(kill, delayMs);
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      kill();
      if (signal === "SIGKILL") resolve({ killed: true, output });
      else if (code === 0) resolve({ killed: false, output });
      else reject(new Error(`billing-run child exited with ${code}: ${output}`));
    });
  });
}

/** Wait until the killed process's connections are gone (its open transactions rolled back). */
async function connectionsGone(): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const [row] = await rows<{ n: number }>(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'r15-billing-run'`);
    if (row!.n === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the killed billing run's connections are still open");
}

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const db = await getDb();
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

describe("R15: billing run killed mid-run, then re-run", () => {
  it.skipIf(!process.env.DATABASE_URL)("(needs PostgreSQL) SIGKILL at random points: 0 duplicate, 0 missing renewals, ledger balanced, nobody charged twice", async () => {
    const db = await getDb();
    const seed = await seedDueSubscriptions(db, COUNT, { createdAt: CREATED, label: "r15" });
    expect(seed.subscriptionIds).toHaveLength(COUNT);
    const subs = seed.subscriptionIds;
    const renewals = async () =>
      (await rows<{ n: number }>(sql`select count(*)::int as n from invoices where billing_reason = 'subscription_cycle' and subscription_id in ${subs}`))[0]!.n;

    const progress: number[] = [];
    // Three kills at random points; on a slow machine a kill may land before the first renewal is
    // written, so further rounds wait a little longer each time until some work has been done.
    for (let round = 0; round < 3 || (progress.at(-1) === 0 && round < 8); round++) {
      const delay = 50 + Math.floor(Math.random() * 350) + (progress.at(-1) === 0 ? round * 200 : 0);
      const { killed, output } = await runAndKill(delay);
      expect(output).not.toMatch(/done/);
      expect(killed).toBe(true);
      await connectionsGone();
      progress.push(await renewals());
    }
    // The kills landed mid-run: some work was done, not all of it.
    expect(progress.at(-1)).toBeGreaterThan(0);
    expect(progress.at(-1)).toBeLessThan(COUNT);

    // Re-run to completion in-process.
    const rerun = await runDueSubscriptions(db, NOW, 10_000);
    expect(rerun.failed).toEqual([]);
    expect(rerun.steps).toBe(COUNT - progress.at(-1)!);
    expect((await runDueSubscriptions(db, NOW, 10_000)).steps).toBe(0);
    // What a crash leaves for the janitors: payments pending at the gateway boundary, invoices issued but not yet charged.
    const later = new Date(NOW.getTime() + 3600_000);
    const reconciled = await reconcilePayments(db, later, { olderThanSeconds: 0 });
    expect(reconciled.errors).toEqual([]);
    const retried = await retryDuePayments(db, later);
    expect(retried.failed).toEqual([]);
    await reconcilePayments(db, later, { olderThanSeconds: 0 });

    // Exactly one renewal per subscription, for the period due.
    const perSub = await rows<{ subscription_id: string; n: number; period_start: string }>(sql`
      select subscription_id, count(*)::int as n, min(period_start)::text as period_start from invoices
      where billing_reason = 'subscription_cycle' and subscription_id in ${subs} group by subscription_id`);
    expect(perSub).toHaveLength(COUNT);
    expect(perSub.filter((r) => r.n !== 1)).toEqual([]);
    expect(new Set(perSub.map((r) => new Date(r.period_start).toISOString()))).toEqual(new Set(["2026-10-15T00:00:00.000Z"]));
    // Every renewal is paid. Where the kill fell after a payment was recorded pending and before the
    // gateway was called, reconcile marked that payment `not_submitted` (nothing was charged) and made
    // the invoice due again, so the retry run charged it under a new key.
    const all = await db.select().from(invoices).where(inArray(invoices.subscriptionId, subs));
    const renewalRows = all.filter((i) => i.billingReason === "subscription_cycle");
    expect(renewalRows.filter((i) => i.status !== "paid").map((i) => `${i.id}: ${i.status}`)).toEqual([]);

    // Ledger per customer: Σ invoiced = Σ paid + Σ credited + Σ open, and Σ paid = Σ succeeded payments.
    const unbalanced = await rows<Record<string, unknown>>(sql`
      with inv as (
        select customer_id, sum(total)::bigint as invoiced, sum(amount_paid)::bigint as paid,
               sum(credit_applied + amount_credited)::bigint as credited,
               sum(case when status = 'open' then amount_remaining else 0 end)::bigint as open
        from invoices where status in ('open', 'paid') and customer_id in ${seed.customerIds} group by customer_id),
      pay as (
        select customer_id, sum(amount - amount_refunded)::bigint as paid from payments
        where status = 'succeeded' and customer_id in ${seed.customerIds} group by customer_id)
      select inv.*, coalesce(pay.paid, 0) as payments from inv left join pay using (customer_id)
      where inv.invoiced <> inv.paid + inv.credited + inv.open or inv.paid <> coalesce(pay.paid, 0)`);
    expect(unbalanced).toEqual([]);

    // No payment charged twice: one gateway charge per succeeded payment, at most one succeeded payment per invoice,
    // and every charge the gateway made is recorded as a succeeded payment.
    const [charges] = await rows<{ succeeded: number; charged: number; invoices_paid_twice: number; unrecorded: number }>(sql`
      with p as (select * from payments where customer_id in ${seed.customerIds})
      select (select count(*)::int from p where status = 'succeeded') as succeeded,
             (select count(*)::int from sandbox_charges c join p on p.idempotency_key = c.idempotency_key where c.result->>'status' = 'succeeded') as charged,
             (select count(*)::int from (select invoice_id from p where status = 'succeeded' group by invoice_id having count(*) > 1) d) as invoices_paid_twice,
             (select count(*)::int from sandbox_charges c join p on p.idempotency_key = c.idempotency_key where c.result->>'status' = 'succeeded' and p.status <> 'succeeded') as unrecorded`);
    expect(charges!.invoices_paid_twice).toBe(0);
    expect(charges!.unrecorded).toBe(0);
    expect(charges!.charged).toBe(charges!.succeeded);
    // The template customer's first invoice plus one renewal each.
    expect(charges!.succeeded).toBe(COUNT + 1);
  }, 300_000); // Three kills, three child processes and a re-run: minutes on a loaded 2-core machine.
});
