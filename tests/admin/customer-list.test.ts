import { beforeAll, describe, expect, it } from "vitest";
import { asc, eq, sql } from "drizzle-orm";
import { getDb, queryRows, type Db } from "@/db/client";
import { customerListFacets, customerListQuery, decodeCursor, encodeCursor, listCustomers, type CustomerListRequest } from "@/db/queries/customer-list";
import { customers, prices, subscriptionItems, subscriptions } from "@/db/schema";
import { parseCustomerListParams, customerListQueryString, subscriptionStatusChoices } from "@/components/admin/customers/list-params";
import { subscriptionStatuses } from "@/lib/billing/subscriptions/statuses";
import { cancelSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { pauseSubscription } from "@/lib/services/subscriptions/pause-subscription";
import { updateSubscription } from "@/lib/services/subscriptions/update-subscription";
import { ctx, NOW } from "../services/support";
import { makeCatalog, makeCustomer, type Catalog } from "../factories";

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

const request = (over: Partial<CustomerListRequest> = {}): CustomerListRequest => ({ sort: "created", dir: "desc", limit: 25, ...over });

async function summaryOf(customerId: string) {
  const [row] = await db
    .select({ id: customers.currentSubscriptionId, status: customers.currentSubscriptionStatus, plan: customers.currentPlanId })
    .from(customers)
    .where(eq(customers.id, customerId));
  return row;
}

/**
 * Recompute every customer's current subscription from scratch in JS (live before incomplete
 * before ended, newest first; the plan of its first item) and compare with what the triggers keep.
 */
async function summaryDrift(): Promise<string[]> {
  const subs = await db.select().from(subscriptions);
  const items = await db.select({ subscriptionId: subscriptionItems.subscriptionId, position: subscriptionItems.position, id: subscriptionItems.id, planId: prices.planId }).from(subscriptionItems).innerJoin(prices, eq(prices.id, subscriptionItems.priceId)).orderBy(asc(subscriptionItems.position), asc(subscriptionItems.id));
  const rank = (status: string) => (status === "canceled" || status === "incomplete_expired" ? 2 : status === "incomplete" ? 1 : 0);
  const drift: string[] = [];
  for (const c of await db.select().from(customers)) {
    const mine = subs
      .filter((s) => s.customerId === c.id)
      .sort((a, b) => rank(a.status) - rank(b.status) || b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const current = mine[0];
    const plan = current ? (items.find((i) => i.subscriptionId === current.id)?.planId ?? null) : null;
    const want = { id: current?.id ?? null, status: current?.status ?? null, plan };
    const have = { id: c.currentSubscriptionId, status: c.currentSubscriptionStatus, plan: c.currentPlanId };
    if (JSON.stringify(want) !== JSON.stringify(have)) drift.push(`${c.id}: want ${JSON.stringify(want)}, have ${JSON.stringify(have)}`);
  }
  return drift;
}

describe("the current subscription kept on the customer row", () => {
  it("follows every writer: create, trial, plan change, pause, cancel, a second subscription", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    expect(await summaryOf(customer.id)).toEqual({ id: null, status: null, plan: null });

    const { subscription } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    expect(await summaryOf(customer.id)).toEqual({ id: subscription.id, status: "active", plan: catalog.plan.id });

    // A plan change replaces the items (save-state): the plan follows.
    await updateSubscription(c, subscription.id, { items: [{ priceId: catalog.audExclusive.id, quantity: 2 }], prorationBehavior: "none", effective: "now" });
    expect(await summaryOf(customer.id)).toEqual({ id: subscription.id, status: "active", plan: catalog.exclusivePlan.id });

    await pauseSubscription(c, subscription.id, { resumesAt: null });
    expect((await summaryOf(customer.id))?.status).toBe("paused");

    // A newer subscription that ends does not hide the older live one.
    const second = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audTrial.id, quantity: 1 }] });
    expect(await summaryOf(customer.id)).toEqual({ id: second.subscription.id, status: "trialing", plan: catalog.trialPlan.id });
    await cancelSubscription(c, second.subscription.id, { atPeriodEnd: false });
    expect(await summaryOf(customer.id)).toEqual({ id: subscription.id, status: "paused", plan: catalog.exclusivePlan.id });

    await cancelSubscription(c, subscription.id, { atPeriodEnd: false });
    const ended = await summaryOf(customer.id);
    expect(ended?.status).toBe("canceled");
    // Both ended: the newest one is shown.
    expect(ended?.id).toBe(second.subscription.id);
    expect(await summaryDrift()).toEqual([]);
  });

  it("shows a failed first payment as incomplete, and a trial without a card as trialing", async () => {
    const c = ctx(db);
    const declined = await makeCustomer(c, { card: "pm_card_chargeDeclined" });
    await createSubscription(c, { customerId: declined.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    expect((await summaryOf(declined.id))?.status).toBe("incomplete");
    const trial = await makeCustomer(c, { card: null });
    await createSubscription(c, { customerId: trial.id, items: [{ priceId: catalog.audTrial.id, quantity: 1 }] });
    expect((await summaryOf(trial.id))?.status).toBe("trialing");
    expect(await summaryDrift()).toEqual([]);
  });

  it("is refreshed once per customer by a bulk insert, and follows a direct status update", async () => {
    const c = ctx(db);
    const a = await makeCustomer(c, { card: null });
    const b = await makeCustomer(c, { card: null });
    await db.insert(subscriptions).values(
      [a, b].map((cu, i) => ({
        id: `sub_bulk${i}_${cu.id.slice(-6)}`,
        customerId: cu.id,
        status: "active" as const,
        currency: "aud",
        billingCycleAnchor: NOW,
        currentPeriodStart: NOW,
        currentPeriodEnd: new Date(NOW.getTime() + 30 * 86_400_000),
        createdAt: NOW,
      })),
    );
    expect((await summaryOf(a.id))?.status).toBe("active");
    expect((await summaryOf(b.id))?.plan).toBeNull();
    await db.insert(subscriptionItems).values({ id: `si_bulk_${b.id.slice(-6)}`, subscriptionId: `sub_bulk1_${b.id.slice(-6)}`, priceId: catalog.audTrial.id, position: 0 });
    expect((await summaryOf(b.id))?.plan).toBe(catalog.trialPlan.id);
    await db.update(subscriptions).set({ status: "past_due" }).where(eq(subscriptions.id, `sub_bulk0_${a.id.slice(-6)}`));
    expect((await summaryOf(a.id))?.status).toBe("past_due");
    expect(await summaryDrift()).toEqual([]);
  });
});

describe("listCustomers", () => {
  it("sorts by name (falling back to the email, case-insensitively), email and balance, with the id breaking ties", async () => {
    const c = ctx(db);
    const tag = `srt${Date.now().toString(36)}`;
    const made = [];
    for (const [name, email, balance] of [
      ["bob", `b-${tag}@example.test`, 0],
      ["Alice", `z-${tag}@example.test`, 500],
      [null, `carol-${tag}@example.test`, -200],
      ["alice", `a-${tag}@example.test`, 500],
    ] as const) {
      const row = await makeCustomer(c, { name: name ?? undefined, email, card: null });
      if (name === null) await db.update(customers).set({ name: null }).where(eq(customers.id, row.id));
      await db.update(customers).set({ creditBalance: balance }).where(eq(customers.id, row.id));
      made.push(row);
    }
    const names = (await listCustomers(db, request({ q: tag, sort: "name", dir: "asc" }))).rows.map((r) => r.name ?? r.email);
    const [first, second] = [made[1]!, made[3]!].sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(names).toEqual([first!.name, second!.name, "bob", `carol-${tag}@example.test`]);
    const emails = (await listCustomers(db, request({ q: tag, sort: "email", dir: "desc" }))).rows.map((r) => r.email);
    expect(emails).toEqual([`z-${tag}@example.test`, `carol-${tag}@example.test`, `b-${tag}@example.test`, `a-${tag}@example.test`]);
    const balances = (await listCustomers(db, request({ q: tag, sort: "balance", dir: "asc" }))).rows.map((r) => r.creditBalance);
    expect(balances).toEqual([-200, 0, 500, 500]);
  });

  it("searches name and email as substrings (wildcards match themselves), and ids and external ids exactly", async () => {
    const c = ctx(db);
    const tag = `srch${Date.now().toString(36)}`;
    const percent = await makeCustomer(c, { name: `100% Cotton ${tag}`, card: null });
    const plain = await makeCustomer(c, { name: `1000 Cottons ${tag}`, card: null });
    const ids = async (q: string) => (await listCustomers(db, request({ q }))).rows.map((r) => r.id);
    expect(await ids(`100% cotton ${tag}`)).toEqual([percent.id]);
    expect(await ids(`100_`)).not.toContain(plain.id);
    expect((await ids(`COTTON`)).sort()).toEqual([percent.id, plain.id].sort());
    expect(await ids(percent.id)).toEqual([percent.id]);
    await db.update(customers).set({ externalId: `crm-${tag}` }).where(eq(customers.id, plain.id));
    expect(await ids(`crm-${tag}`)).toEqual([plain.id]);
    expect(await ids(`crm-${tag.slice(0, -1)}`)).toEqual([]);
  });

  it("filters by subscription status (and no subscription), plan, dunning state, country and currency", async () => {
    const c = ctx(db);
    const tag = `flt${Date.now().toString(36)}`;
    const nz = await makeCustomer(c, { name: `Kiri ${tag}`, address: { country: "NZ" }, currency: "usd", card: null });
    const au = await makeCustomer(c, { name: `Matilda ${tag}` });
    await createSubscription(c, { customerId: au.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    await db.update(customers).set({ status: "warning" }).where(eq(customers.id, au.id));
    const ids = async (over: Partial<CustomerListRequest>) => (await listCustomers(db, request({ q: tag, ...over }))).rows.map((r) => r.id);
    expect(await ids({ status: "none" })).toEqual([nz.id]);
    expect(await ids({ status: "active" })).toEqual([au.id]);
    expect(await ids({ status: "past_due" })).toEqual([]);
    expect(await ids({ plan: catalog.plan.id })).toEqual([au.id]);
    expect(await ids({ dunning: "warning" })).toEqual([au.id]);
    expect(await ids({ dunning: "active" })).toEqual([nz.id]);
    expect(await ids({ country: "NZ" })).toEqual([nz.id]);
    expect(await ids({ currency: "usd" })).toEqual([nz.id]);
    expect(await ids({ currency: "aud", country: "NZ" })).toEqual([]);
    const [row] = (await listCustomers(db, request({ q: au.id }))).rows;
    expect(row).toMatchObject({ id: au.id, subscriptionStatus: "active", planId: catalog.plan.id, planName: catalog.plan.name, dunning: "warning", country: "AU", currency: "aud" });
  });

  it("ignores a malformed cursor or one made for another sort, and starts from the first page", async () => {
    const first = await listCustomers(db, request({ limit: 2 }));
    expect(first.rows).toHaveLength(2);
    expect(first.previousCursor).toBeNull();
    for (const cursor of ["nonsense", "", encodeCursor({ s: "name:asc", d: "next", v: "x", id: "y" }), Buffer.from('{"s":"created:desc","d":"next","v":"not a date","id":"x"}').toString("base64url")]) {
      expect((await listCustomers(db, request({ limit: 2, cursor }))).rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    }
    const next = decodeCursor(first.nextCursor, "created:desc");
    expect(next).toMatchObject({ d: "next", id: first.rows[1]!.id });
    // Microseconds survive in the cursor (a millisecond cursor would skip or repeat rows).
    expect(next?.v).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it("uses the sort's index on PostgreSQL (no sort step for the first page)", async () => {
    if (!process.env.DATABASE_URL) return;
    const { sql: text, params } = customerListQuery(db, request({ sort: "name", dir: "asc" })).query.toSQL();
    await db.execute(sql`set enable_seqscan = off`);
    const plan = (await queryRows<{ "QUERY PLAN": string }>(db, sql.raw(`explain ${text.replace(/\$(\d+)/g, (_, n: string) => `'${String(params[Number(n) - 1]).replace(/'/g, "''")}'`)}`))).map((r) => r["QUERY PLAN"]).join("\n");
    await db.execute(sql`reset enable_seqscan`);
    expect(plan).toContain("customers_list_name_idx");
  });

  it("offers the plans, and the countries and currencies customers have", async () => {
    const facets = await customerListFacets(db);
    expect(facets.plans.map((p) => p.id)).toContain(catalog.plan.id);
    expect(facets.countries).toEqual(expect.arrayContaining(["AU", "NZ"]));
    expect(facets.countries).toEqual([...facets.countries].sort());
    expect(facets.currencies).toEqual(expect.arrayContaining(["aud", "usd"]));
    expect(new Set(facets.currencies).size).toBe(facets.currencies.length);
  });
});

describe("the list's URL state", () => {
  it("offers every subscription status as a filter", () => {
    expect([...subscriptionStatusChoices].sort()).toEqual([...subscriptionStatuses].sort());
  });

  it("parses forgivingly and writes back only what differs from the defaults", () => {
    const parsed = parseCustomerListParams(new URLSearchParams("q=%20ada%20&status=bogus&country=nz&currency=USD&sort=name&limit=50&dunning=blocked&plan=x;drop"));
    expect(parsed).toEqual({ q: "ada", status: undefined, plan: undefined, dunning: "blocked", country: "NZ", currency: "usd", sort: "name", dir: "asc", limit: 50, cursor: null });
    expect(customerListQueryString(parsed)).toBe("?q=ada&dunning=blocked&country=NZ&currency=usd&sort=name&limit=50");
    expect(parseCustomerListParams({})).toEqual({ q: undefined, status: undefined, plan: undefined, dunning: undefined, country: undefined, currency: undefined, sort: "created", dir: "desc", limit: 25, cursor: null });
    expect(customerListQueryString(parseCustomerListParams({ sort: "created", dir: "asc" }))).toBe("?sort=created&dir=asc");
    expect(parseCustomerListParams({ limit: "1000" }).limit).toBe(25);
  });
});
