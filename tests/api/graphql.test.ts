import { eq } from "drizzle-orm";
import { execute, getIntrospectionQuery, parse, specifiedRules, validate, type ExecutionResult } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, getHandle, type Db } from "@/db/client";
import * as schemaTables from "@/db/schema";
import { customers } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import type { GraphqlContext } from "@/lib/graphql/builder";
import { camelCase, selectAll } from "@/lib/graphql/resource-types";
import { customerResource } from "@/lib/api/resources/customer";
import { invoiceResource } from "@/lib/api/resources/invoice";
import { paymentResource } from "@/lib/api/resources/payment";
import { subscriptionResource } from "@/lib/api/resources/subscription";
import { upcomingInvoiceResource } from "@/lib/api/resources/upcoming-invoice";
import { MAX_COST, MAX_DEPTH, queryLimits } from "@/lib/graphql/limits";
import { createLoaders } from "@/lib/graphql/loaders";
import { graphqlSchema } from "@/lib/graphql/schema";
import { newId } from "@/lib/ids";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { POST as graphqlRoute } from "@/app/api/graphql/route";
import { GET as getCustomer } from "@/app/api/v1/customers/[id]/route";
import { GET as listInvoices } from "@/app/api/v1/invoices/route";
import { GET as listPayments } from "@/app/api/v1/payments/route";
import { GET as listSubscriptions } from "@/app/api/v1/subscriptions/route";
import { GET as getUpcoming } from "@/app/api/v1/invoices/upcoming/route";
import { makeCatalog, makeCustomer, type Catalog } from "../factories";
import { call, newKey } from "./support";

// GraphQL (docs/decisions/037-graphql.md): batch loading, limits, REST's answers, REST's keys.
let db: Db;
let catalog: Catalog;
let key: string;
const ctx = () => ({ db, actor: systemActor("test"), now: new Date() });

async function gql(query: string, variables?: Record<string, unknown>, apiKey: string | null = key): Promise<{ status: number; body: ExecutionResult & { errors?: { message: string; extensions: Record<string, unknown> }[] } }> {
  const headers = new Headers({ "content-type": "application/json", accept: "application/json" });
  if (apiKey) headers.set("authorization", `Bearer ${apiKey}`);
  const res = await graphqlRoute(new Request("http://localhost/api/graphql", { method: "POST", headers, body: JSON.stringify({ query, variables }) }));
  return { status: res.status, body: (await res.json()) as never };
}

/** A database handle on the same connection that counts the statements it sends (PostgreSQL and PGlite alike). */
async function countingDb(): Promise<{ db: Db; count: () => number }> {
  const handle = await getHandle();
  let n = 0;
  const logger = { logQuery: () => void n++ };
  const client = (handle.db as unknown as { $client: unknown }).$client;
  const counted =
    handle.driver === "pg"
      ? (await import("drizzle-orm/node-postgres")).drizzle(client as never, { schema: schemaTables, logger })
      : (await import("drizzle-orm/pglite")).drizzle(client as never, { schema: schemaTables, logger });
  return { db: counted as unknown as Db, count: () => n };
}

const nested = (first: number) => /* GraphQL */ `
  query Nested {
    customers(first: ${first}) {
      edges { node { id email subscriptions(first: 10) { edges { node { id status invoices(first: 10) {
        edges { node { id amountDue total lines { id amount } payments { id amount status } } }
      } } } } } }
    }
  }
`;

/** Statements the schema sends for the nested query over the newest `first` customers (authentication is not part of it). */
async function statementsFor(first: number): Promise<{ statements: number; result: ExecutionResult }> {
  const { db: counted, count } = await countingDb();
  const schema = graphqlSchema();
  const document = parse(nested(first));
  expect(validate(schema, document, [...specifiedRules, queryLimits])).toEqual([]);
  const [apiKey] = await db.select().from(schemaTables.apiKeys).limit(1);
  if (!apiKey) throw new Error("no key");
  const contextValue: GraphqlContext = {
    db: counted,
    apiKey: { id: apiKey.id, name: apiKey.name, livemode: false },
    actor: { type: "api_key", id: apiKey.id, livemode: false },
    now: new Date(),
    requestId: "req_test",
    loaders: createLoaders(counted, false),
  };
  const result = await execute({ schema, document, contextValue });
  return { statements: count(), result };
}

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
  key = (await newKey()).key;
  // 50 customers, each with two subscriptions whose first invoices were charged (lines and payments).
  for (let i = 0; i < 50; i++) {
    const customer = await makeCustomer(ctx());
    await createSubscription(ctx(), { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    await createSubscription(ctx(), { customerId: customer.id, items: [{ priceId: catalog.audExclusive.id, quantity: 2 }] });
  }
}, 300_000);

describe("GraphQL batches nested reads", () => {
  it("50 customers × their subscriptions × invoices with lines and payments take the same few statements as 5", async () => {
    const five = await statementsFor(5);
    const fifty = await statementsFor(50);
    expect(fifty.result.errors).toBeUndefined();
    const data = fifty.result.data as { customers: { edges: { node: { subscriptions: { edges: { node: { invoices: { edges: { node: { lines: unknown[]; payments: unknown[] } }[] } } }[] } } }[] } };
    expect(data.customers.edges).toHaveLength(50);
    const invoices = data.customers.edges.flatMap((c) => c.node.subscriptions.edges.flatMap((s) => s.node.invoices.edges));
    expect(invoices).toHaveLength(100);
    expect(invoices.every((i) => i.node.lines.length > 0 && i.node.payments.length > 0)).toBe(true);
    // customers, subscriptions, their items, invoices, their lines, payments: one statement each.
    expect(fifty.statements).toBeLessThanOrEqual(6);
    expect(fifty.statements).toBe(five.statements);
  });
});

describe("GraphQL limits", () => {
  it("refuses a query deeper than the limit, and accepts the standard introspection query", async () => {
    const deep = `{ __schema { types { fields { type ${"{ ofType ".repeat(MAX_DEPTH)}{ name }${" }".repeat(MAX_DEPTH)} } } } }`;
    const refused = await gql(deep);
    expect(refused.status).toBe(200);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors?.[0]?.message).toMatch(new RegExp(`levels deep; the limit is ${MAX_DEPTH}`));
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: "invalid_request", limit: MAX_DEPTH });
    const introspection = await gql(getIntrospectionQuery());
    expect(introspection.body.errors).toBeUndefined();
  });

  it("refuses a query that could return too many objects, before reading anything", async () => {
    const costly = `{ customers(first: 100) { edges { node { subscriptions(first: 100) { edges { node { invoices(first: 100) { edges { node { id } } } } } } } } } }`;
    const refused = await gql(costly);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors?.[0]?.message).toMatch(new RegExp(`could return \\d+ objects; the limit is ${MAX_COST}`));
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: "invalid_request", limit: MAX_COST });
    // A variable `first` counts as the maximum.
    const viaVariable = await gql(`query($n: Int) { customers(first: $n) { edges { node { subscriptions(first: $n) { edges { node { invoices(first: $n) { edges { node { id } } } } } } } } } }`, { n: 1 });
    expect(viaVariable.body.errors?.[0]?.extensions).toMatchObject({ code: "invalid_request", limit: MAX_COST });
  });

  it("answers an out-of-range page size with REST's code and param", async () => {
    const { body } = await gql(`{ customers(first: 500) { edges { cursor } } }`);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: "out_of_range", param: "first" });
  });
});

/** A REST object with its keys as GraphQL names them. */
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k === "metadata" ? k : camelCase(k), k === "metadata" ? v : camelKeys(v)]));
  return value;
}

/** Without null fields: a field REST leaves out (an address without a city) is null in GraphQL. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === null ? [] : [[k, withoutNulls(v)]])));
  return value;
}
const byId = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.id).localeCompare(String(b.id));
const same = (graphql: unknown, rest: unknown) => expect(withoutNulls(graphql)).toEqual(withoutNulls(camelKeys(rest)));

describe("GraphQL answers as REST does", () => {
  it("a customer with its subscriptions, invoices, payments and upcoming invoice, field by field", async () => {
    const [customer] = await db.select().from(customers).where(eq(customers.livemode, false)).limit(1);
    if (!customer) throw new Error("no customer");
    const rest = async (route: Parameters<typeof call>[0], path: string, params?: Record<string, string>) => {
      const res = await call(route, { method: "GET", key, path, params });
      expect(res.status).toBe(200);
      return (await res.json()) as Record<string, unknown> & { data: Record<string, unknown>[] };
    };
    const restCustomer = await rest(getCustomer, `/customers/${customer.id}`, { id: customer.id });
    const restSubs = (await rest(listSubscriptions, `/subscriptions?customer=${customer.id}`)).data;
    const restInvoices = (await rest(listInvoices, `/invoices?customer=${customer.id}`)).data;
    const restPayments = (await rest(listPayments, `/payments?customer=${customer.id}`)).data;
    const firstSub = restSubs[0] as { id: string };
    const restUpcoming = await rest(getUpcoming, `/invoices/upcoming?subscription=${firstSub.id}`);
    expect(restInvoices.length).toBeGreaterThan(0);
    expect(restPayments.length).toBeGreaterThan(0);

    const query = `query($id: String!) { customer(id: $id) {
      ${selectAll(customerResource)}
      subscriptions { edges { cursor node { ${selectAll(subscriptionResource)} upcomingInvoice { ${selectAll(upcomingInvoiceResource)} } } } pageInfo { hasNextPage endCursor } }
      invoices { edges { node { ${selectAll(invoiceResource)} payments { ${selectAll(paymentResource)} } } } }
    } }`;
    const { status, body } = await gql(query, { id: customer.id });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    const got = (body.data as { customer: Record<string, unknown> & { subscriptions: { edges: { cursor: string; node: Record<string, unknown> }[]; pageInfo: unknown }; invoices: { edges: { node: Record<string, unknown> }[] } } }).customer;
    const { subscriptions, invoices, ...customerFields } = got;
    same(customerFields, restCustomer);
    expect(subscriptions.edges.map((e) => e.cursor)).toEqual(restSubs.map((s) => s.id));
    const [subWithUpcoming, ...otherSubs] = subscriptions.edges.map((e) => e.node);
    const { upcomingInvoice, ...firstSubFields } = subWithUpcoming!;
    same([firstSubFields, ...otherSubs.map(({ upcomingInvoice: _u, ...rest }) => rest)], restSubs);
    same(upcomingInvoice, restUpcoming);
    expect(subscriptions.pageInfo).toEqual({ hasNextPage: false, endCursor: restSubs.at(-1)?.id });
    const gotInvoices = invoices.edges.map((e) => e.node);
    same(gotInvoices.map(({ payments: _p, ...rest }) => rest), restInvoices);
    const gotPayments = gotInvoices.flatMap((i) => i.payments as Record<string, unknown>[]);
    same([...gotPayments].sort(byId), [...restPayments].sort(byId));
  });

  it("pages customers with cursors (the ids REST uses)", async () => {
    const first = await gql(`{ customers(first: 30) { edges { cursor } pageInfo { hasNextPage hasPreviousPage endCursor } } }`);
    const page = (first.body.data as { customers: { edges: { cursor: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }).customers;
    expect(page.edges).toHaveLength(30);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const next = await gql(`query($after: String) { customers(first: 30, after: $after) { edges { cursor } pageInfo { hasNextPage hasPreviousPage } } }`, { after: page.pageInfo.endCursor });
    const second = (next.body.data as { customers: { edges: { cursor: string }[]; pageInfo: unknown } }).customers;
    expect(second.edges).toHaveLength(20);
    expect(second.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    expect(new Set([...page.edges, ...second.edges].map((e) => e.cursor)).size).toBe(50);
  });
});

describe("GraphQL keys and errors", () => {
  it("refuses a request without a valid key with REST's code, and counts it as a failed authentication", async () => {
    const none = await gql(`{ plans { edges { cursor } } }`, undefined, null);
    expect(none.status).toBe(401);
    expect(none.body.errors?.[0]?.extensions).toMatchObject({ code: "unauthenticated" });
    const wrong = await gql(`{ plans { edges { cursor } } }`, undefined, `tk_test_${"A".repeat(32)}`);
    expect(wrong.status).toBe(401);
  });

  it("answers an unknown id as not_found naming the argument, and a test key never sees live objects", async () => {
    const unknown = await gql(`{ invoice(id: "in_doesnotexist") { id } }`);
    expect(unknown.status).toBe(200);
    expect(unknown.body.errors?.[0]).toMatchObject({ path: ["invoice"], extensions: { code: "not_found", param: "id" } });
    const liveId = newId("customer");
    await db.insert(customers).values({ id: liveId, email: "live@example.test", currency: "aud", timezone: "Australia/Sydney", livemode: true });
    const live = await gql(`query($id: String!) { customer(id: $id) { id } }`, { id: liveId });
    expect(live.body.errors?.[0]?.extensions).toMatchObject({ code: "not_found", param: "id" });
    const listed = await gql(`{ customers(first: 100) { edges { cursor } } }`);
    const ids = (listed.body.data as { customers: { edges: { cursor: string }[] } }).customers.edges.map((e) => e.cursor);
    expect(ids).toHaveLength(50);
    expect(ids).not.toContain(liveId);
  });

  it("lists plans with their current prices as REST does", async () => {
    const { body } = await gql(`{ plans(first: 100) { edges { node { id code prices { id unitAmount currency } } } } }`);
    expect(body.errors).toBeUndefined();
    const plans = (body.data as { plans: { edges: { node: { id: string; prices: { id: string }[] } }[] } }).plans.edges.map((e) => e.node);
    expect(plans.find((p) => p.id === catalog.plan.id)?.prices.map((p) => p.id).sort()).toEqual([catalog.audInclusive.id, catalog.usdExclusive.id].sort());
  });
});
