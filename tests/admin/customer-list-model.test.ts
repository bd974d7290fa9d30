import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, queryRows, type Db } from "@/db/client";
import { listCustomers, type CustomerListFilters, type CustomerListPage, type CustomerListRequest, type CustomerListSort } from "@/db/queries/customer-list";
import { plans, prices, products } from "@/db/schema";
import { subscriptionStatuses, type SubscriptionStatus } from "@/lib/billing/subscriptions/statuses";

/**
 * A model test of the customer list: random customers (duplicate names, missing names, wildcard
 * characters, customers created at the same microsecond, 0–2 subscriptions each) and random
 * filters, sorts and page sizes. Paging forward must give exactly the filtered set in order, with
 * no duplicates or gaps; paging back from the end must give the same pages in reverse. The filter
 * semantics and the current-subscription rule are modelled here in plain TypeScript; the order of
 * the expected set is the database's own ORDER BY without any cursor.
 */

let db: Db;
const PLAN_IDS = ["plan_model_a", "plan_model_b", "plan_model_c"];

beforeAll(async () => {
  db = await getDb();
  await db.insert(products).values({ id: "prod_model", name: "Model" });
  for (const id of PLAN_IDS) {
    await db.insert(plans).values({ id, productId: "prod_model", code: id, name: id, interval: "month", intervalCount: 1, trialPeriodDays: 0 });
    await db.insert(prices).values({ id: `price_${id}`, planId: id, currency: "usd", version: 1, taxBehavior: "exclusive", unitAmount: 1000 });
  }
});

/** Instants with microseconds (written alike, so they compare as strings), few enough that customers and subscriptions often share one. */
const INSTANTS = ["2026-01-01T00:00:00.000001Z", "2026-01-01T00:00:00.000002Z", "2026-01-01T00:00:00.001000Z", "2026-02-03T10:00:00.500000Z", "2026-02-03T10:00:00.500001Z"];

interface ModelSubscription {
  status: SubscriptionStatus;
  plan: number;
  created: number;
}
interface ModelCustomer {
  id: string;
  name: string | null;
  email: string;
  externalId: string | null;
  created: number;
  balance: number;
  dunning: "active" | "warning" | "blocked";
  country: string | null;
  currency: string;
  subs: ModelSubscription[];
}

const pad = (n: number) => String(n).padStart(3, "0");

const customerArb = fc.record({
  name: fc.option(fc.constantFrom("Ada Lovelace", "ada lovelace", "Bob", "bob", "Zoë Ångström", "100% Pure", "under_score", "back\\slash", "O'Brien", "Smith", "smith jr"), { freq: 4 }),
  local: fc.constantFrom("ada", "bob", "carol", "smith", "x%y", "a_b"),
  domain: fc.constantFrom("gmail.com", "acme.io"),
  hasExternal: fc.boolean(),
  created: fc.nat({ max: INSTANTS.length - 1 }),
  balance: fc.constantFrom(0, 0, 100, -50, 2500),
  dunning: fc.constantFrom("active" as const, "active" as const, "warning" as const, "blocked" as const),
  country: fc.constantFrom("AU", "US", "DE", null),
  currency: fc.constantFrom("aud", "usd", "eur"),
  subs: fc.array(fc.record({ status: fc.constantFrom(...subscriptionStatuses), plan: fc.nat({ max: PLAN_IDS.length - 1 }), created: fc.nat({ max: INSTANTS.length - 1 }) }), { maxLength: 2 }),
});

const datasetArb = fc.array(customerArb, { maxLength: 30, size: "medium" }).map((rows) =>
  rows.map(
    (r, i): ModelCustomer => ({
      id: `cus_m${pad(i)}`,
      name: r.name,
      email: `${r.local}${i}@${r.domain}`,
      externalId: r.hasExternal ? `ext-${pad(i)}` : null,
      created: r.created,
      balance: r.balance,
      dunning: r.dunning,
      country: r.country,
      currency: r.currency,
      subs: r.subs,
    }),
  ),
);

/** Zero to two filters at once (more almost always match nobody in a small data set). */
const filtersArb = fc
  .tuple(
    fc.subarray(["q", "status", "plan", "dunning", "country", "currency"] as const, { maxLength: 2 }),
    fc.record({
      q: fc.constantFrom("ada", "SMITH", "100%", "_", "\\", "gmail", "acme.io", "cus_m003", "ext-002", "zz", "o'b", " bob "),
      status: fc.constantFrom<SubscriptionStatus | "none">(...subscriptionStatuses, "none"),
      plan: fc.constantFrom(...PLAN_IDS),
      dunning: fc.constantFrom("active" as const, "warning" as const, "blocked" as const),
      country: fc.constantFrom("AU", "US", "DE"),
      currency: fc.constantFrom("aud", "usd", "eur"),
    }),
  )
  .map(([keys, values]): CustomerListFilters => Object.fromEntries(keys.map((k) => [k, values[k]])));

const rank = (s: SubscriptionStatus) => (s === "canceled" || s === "incomplete_expired" ? 2 : s === "incomplete" ? 1 : 0);

/** The current subscription rule: live before incomplete before ended, newest first, then the higher id. */
function current(c: ModelCustomer): (ModelSubscription & { id: string }) | null {
  const subs = c.subs.map((s, k) => ({ ...s, id: `sub_${c.id.slice(4)}${k}` }));
  subs.sort((a, b) => rank(a.status) - rank(b.status) || INSTANTS[b.created]!.localeCompare(INSTANTS[a.created]!) || (a.id < b.id ? 1 : -1));
  return subs[0] ?? null;
}

function matches(c: ModelCustomer, f: CustomerListFilters): boolean {
  const cur = current(c);
  if (f.q) {
    const q = f.q.trim();
    const text = `${c.name ?? ""} ${c.email}`.toLowerCase();
    if (!(text.includes(q.toLowerCase()) || c.id === q || c.externalId === q)) return false;
  }
  if (f.status === "none" ? cur !== null : f.status && cur?.status !== f.status) return false;
  if (f.plan && (cur ? PLAN_IDS[cur.plan] : null) !== f.plan) return false;
  if (f.dunning && c.dunning !== f.dunning) return false;
  if (f.country && c.country !== f.country) return false;
  if (f.currency && c.currency !== f.currency) return false;
  return true;
}

const ORDER: Record<CustomerListSort, string> = { created: "created_at", name: "lower(coalesce(name, email))", email: "email", balance: "credit_balance" };

async function load(data: ModelCustomer[]): Promise<void> {
  await db.execute(sql`delete from subscription_items`);
  await db.execute(sql`delete from subscriptions`);
  await db.execute(sql`delete from customers`);
  for (const c of data) {
    await db.execute(sql`insert into customers (id, email, name, currency, timezone, address, credit_balance, status, external_id, created_at)
      values (${c.id}, ${c.email}, ${c.name}, ${c.currency}, 'UTC', ${JSON.stringify(c.country ? { country: c.country } : {})}::jsonb, ${c.balance}, ${c.dunning}, ${c.externalId}, ${INSTANTS[c.created]}::timestamptz)`);
  }
  for (const c of data) {
    for (const [k, s] of c.subs.entries()) {
      const id = `sub_${c.id.slice(4)}${k}`;
      await db.execute(sql`insert into subscriptions (id, customer_id, status, currency, billing_cycle_anchor, current_period_start, current_period_end, created_at)
        values (${id}, ${c.id}, ${s.status}, 'usd', now(), now(), now() + interval '1 month', ${INSTANTS[s.created]}::timestamptz)`);
      await db.execute(sql`insert into subscription_items (id, subscription_id, price_id, position) values (${`si_${id}`}, ${id}, ${`price_${PLAN_IDS[s.plan]}`}, 0)`);
    }
  }
}

async function walk(req: CustomerListRequest, direction: "next" | "prev", from: string | null, guard: number): Promise<CustomerListPage[]> {
  const pages: CustomerListPage[] = [];
  let cursor = from;
  do {
    const page = await listCustomers(db, { ...req, cursor });
    pages.push(page);
    cursor = direction === "next" ? page.nextCursor : page.previousCursor;
    if (pages.length > guard) throw new Error("paging did not end");
  } while (cursor);
  return pages;
}

describe("customer list model", () => {
  it("keeps every customer's current subscription as the model says", async () => {
    await fc.assert(
      fc.asyncProperty(datasetArb, async (data) => {
        await load(data);
        const rows = await queryRows<{ id: string; current_subscription_id: string | null; current_subscription_status: string | null; current_plan_id: string | null }>(
          db,
          sql`select id, current_subscription_id, current_subscription_status, current_plan_id from customers order by id`,
        );
        expect(rows).toEqual(
          data.map((c) => {
            const cur = current(c);
            return { id: c.id, current_subscription_id: cur?.id ?? null, current_subscription_status: cur?.status ?? null, current_plan_id: cur ? PLAN_IDS[cur.plan] : null };
          }),
        );
      }),
      { numRuns: 30 },
    );
  });

  it("pages forward then back over exactly the filtered, sorted set: no duplicates, no gaps", async () => {
    await fc.assert(
      fc.asyncProperty(
        datasetArb,
        filtersArb,
        fc.constantFrom<CustomerListSort>("created", "name", "email", "balance"),
        fc.constantFrom("asc" as const, "desc" as const),
        fc.constantFrom(1, 2, 3, 5, 7),
        async (data, filters, sort, dir, limit) => {
          await load(data);
          const ids = data.filter((c) => matches(c, filters)).map((c) => c.id);
          // ids are plain letters, digits and underscores: safe in an array literal.
          const ordered = (
            await queryRows<{ id: string }>(db, sql`select id from customers where id = any(${`{${ids.join(",")}}`}::text[]) order by ${sql.raw(ORDER[sort])} ${sql.raw(dir)}, id ${sql.raw(dir)}`)
          ).map((r) => r.id);
          expect([...ordered].sort()).toEqual([...ids].sort());

          const req: CustomerListRequest = { ...filters, sort, dir, limit };
          const forward = await walk(req, "next", null, ordered.length + 2);
          expect(forward[0]!.previousCursor).toBeNull();
          expect(forward.flatMap((p) => p.rows.map((r) => r.id))).toEqual(ordered);
          forward.slice(0, -1).forEach((p) => expect(p.rows).toHaveLength(limit));
          if (ordered.length === 0) return;

          const last = forward[forward.length - 1]!;
          expect(last.nextCursor).toBeNull();
          if (!last.previousCursor) {
            expect(forward).toHaveLength(1);
            return;
          }
          const backward = await walk(req, "prev", last.previousCursor, ordered.length + 2);
          expect(backward.map((p) => p.rows.map((r) => r.id))).toEqual(forward.slice(0, -1).reverse().map((p) => p.rows.map((r) => r.id)));
          // Every page read backwards offers the way forward again.
          backward.forEach((p) => expect(p.nextCursor).not.toBeNull());
        },
      ),
      { numRuns: 60 },
    );
  });
});
