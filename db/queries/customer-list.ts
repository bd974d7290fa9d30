import { and, asc, desc, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import { queryRows, type Executor } from "../client";
import { customers, plans } from "../schema";
import type { SubscriptionStatus } from "@/lib/billing/subscriptions/statuses";

/**
 * The console's customer list at scale (docs/decisions/015-customer-list.md): substring search
 * (trigram index) over name and email plus exact id / external id, filters on indexed columns,
 * sorts that each have an index ending in the id tiebreaker, and keyset pagination in both
 * directions through an opaque cursor (the sort key's exact value and the id). No OFFSET: a page
 * deep in the list costs what the first one does.
 */

export type CustomerListSort = "created" | "name" | "email" | "balance";
export type SortDirection = "asc" | "desc";
/** The export walks the list in chunks this size; callers outside the console stay at or below it. */
export const MAX_CUSTOMER_LIST_LIMIT = 1000;
/** A customer's dunning state: the customer status dunning moves (lib/billing/dunning/policy.ts). */
export type DunningState = "active" | "warning" | "blocked";
/** A subscription status, or `none` for customers who never subscribed. */
export type SubscriptionFilter = SubscriptionStatus | "none";

export interface CustomerListFilters {
  /** Substring of the name or email (case-insensitive), or an exact customer id or external id. */
  q?: string;
  status?: SubscriptionFilter;
  plan?: string;
  dunning?: DunningState;
  /** ISO 3166-1 alpha-2, upper case. */
  country?: string;
  /** ISO 4217, lower case. */
  currency?: string;
}

export interface CustomerListRequest extends CustomerListFilters {
  sort: CustomerListSort;
  dir: SortDirection;
  limit: number;
  /** From a previous page's nextCursor / previousCursor; one for another sort is ignored. */
  cursor?: string | null;
}

export interface CustomerListRow {
  id: string;
  name: string | null;
  email: string;
  externalId: string | null;
  currency: string;
  creditBalance: number;
  country: string | null;
  dunning: DunningState;
  subscriptionStatus: SubscriptionStatus | null;
  planId: string | null;
  planName: string | null;
  createdAt: Date;
}

export interface CustomerListPage {
  rows: CustomerListRow[];
  nextCursor: string | null;
  previousCursor: string | null;
}

interface SortSpec {
  /** The expression the rows are ordered by (an index exists on it followed by id). */
  key: SQL;
  /** The key rendered as exact text for the cursor, and the cast that reads it back. */
  text: SQL;
  cast: "timestamptz" | "text" | "bigint";
}

const sorts: Record<CustomerListSort, SortSpec> = {
  // Microseconds kept: a cursor that rounded to milliseconds would skip or repeat rows.
  created: { key: sql`${customers.createdAt}`, text: sql`to_char(${customers.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, cast: "timestamptz" },
  name: { key: sql`lower(coalesce(${customers.name}, ${customers.email}))`, text: sql`lower(coalesce(${customers.name}, ${customers.email}))`, cast: "text" },
  email: { key: sql`${customers.email}`, text: sql`${customers.email}`, cast: "text" },
  balance: { key: sql`${customers.creditBalance}`, text: sql`${customers.creditBalance}::text`, cast: "bigint" },
};

/** The expression behind customers_list_search_idx (gin_trgm_ops); it must stay identical to use it. */
const searchText = sql`(coalesce(${customers.name}, '') || ' ' || ${customers.email})`;
const countryOf = sql<string | null>`(${customers.address} ->> 'country')`;

interface Cursor {
  /** `<sort>:<dir>` the cursor was made for. */
  s: string;
  /** Which side of the row to read: the rows after it (next) or before it (previous). */
  d: "next" | "prev";
  /** The row's sort key as exact text. */
  v: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

/** A cursor from the URL: anything malformed, or made for another sort, reads as "no cursor". */
export function decodeCursor(raw: string | null | undefined, sortKey: string): Cursor | null {
  if (!raw || raw.length > 2000) return null;
  try {
    const value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<Cursor> | null;
    if (!value || value.s !== sortKey || (value.d !== "next" && value.d !== "prev")) return null;
    if (typeof value.v !== "string" || typeof value.id !== "string" || value.v.length > 1000 || value.id.length > 200) return null;
    if (value.s.startsWith("created:") && Number.isNaN(Date.parse(value.v))) return null;
    if (value.s.startsWith("balance:") && !/^-?\d{1,19}$/.test(value.v)) return null;
    return { s: value.s, d: value.d, v: value.v, id: value.id };
  } catch {
    return null;
  }
}

/** `%`, `_` and `\` match themselves in a search. */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, "\\$&");
}

/** The WHERE clause for the filters alone (search included): shared by the list, the count and the export. */
export function customerListWhere(filters: CustomerListFilters): SQL | undefined {
  const q = filters.q?.trim();
  return and(
    q ? or(sql`${searchText} ilike ${`%${escapeLike(q)}%`}`, eq(customers.id, q), eq(customers.externalId, q)) : undefined,
    filters.status === "none" ? isNull(customers.currentSubscriptionStatus) : filters.status ? eq(customers.currentSubscriptionStatus, filters.status) : undefined,
    filters.plan ? eq(customers.currentPlanId, filters.plan) : undefined,
    filters.dunning ? eq(customers.status, filters.dunning) : undefined,
    filters.country ? sql`${countryOf} = ${filters.country}` : undefined,
    filters.currency ? eq(customers.currency, filters.currency) : undefined,
  );
}

/** One page of the list. Fetches limit + 1 rows to know whether there is another page. */
export async function listCustomers(tx: Executor, request: CustomerListRequest): Promise<CustomerListPage> {
  const { query, toPage } = customerListQuery(tx, request);
  return toPage(await query);
}

/**
 * The list's one SELECT, unexecuted (the benchmark and the tests EXPLAIN it), and how its rows
 * become a page.
 */
export function customerListQuery(tx: Executor, request: CustomerListRequest) {
  const limit = Math.min(Math.max(1, Math.trunc(request.limit)), MAX_CUSTOMER_LIST_LIMIT);
  const sortKey = `${request.sort}:${request.dir}`;
  const spec = sorts[request.sort];
  const cursor = decodeCursor(request.cursor, sortKey);
  const backward = cursor?.d === "prev";
  // Reading before the cursor walks the index the other way, then the page is turned around.
  const ascending = (request.dir === "asc") !== backward;
  const keyset = cursor
    ? ascending
      ? sql`(${spec.key}, ${customers.id}) > (${cursor.v}::${sql.raw(spec.cast)}, ${cursor.id})`
      : sql`(${spec.key}, ${customers.id}) < (${cursor.v}::${sql.raw(spec.cast)}, ${cursor.id})`
    : undefined;
  const order = ascending ? [asc(spec.key), asc(customers.id)] : [desc(spec.key), desc(customers.id)];

  const query = tx
    .select({
      id: customers.id,
      name: customers.name,
      email: customers.email,
      externalId: customers.externalId,
      currency: customers.currency,
      creditBalance: customers.creditBalance,
      country: countryOf,
      dunning: customers.status,
      subscriptionStatus: customers.currentSubscriptionStatus,
      planId: customers.currentPlanId,
      planName: plans.name,
      createdAt: customers.createdAt,
      sortValue: sql<string>`${spec.text}`.as("sort_value"),
    })
    .from(customers)
    .leftJoin(plans, eq(plans.id, customers.currentPlanId))
    .where(and(customerListWhere(request), keyset))
    .orderBy(...order)
    .limit(limit + 1);

  type Fetched = Awaited<typeof query>;
  const toPage = (fetched: Fetched): CustomerListPage => {
    const more = fetched.length > limit;
    const page = fetched.slice(0, limit);
    if (backward) page.reverse();
    const first = page[0];
    const last = page[page.length - 1];
    const at = (d: Cursor["d"], row: Fetched[number] | undefined) => (row ? encodeCursor({ s: sortKey, d, v: row.sortValue, id: row.id }) : null);
    return {
      rows: page.map(({ sortValue: _sortValue, ...row }) => row),
      // Forward: a next page when the extra row came back; a previous one whenever we came from a
      // cursor. Backward: the mirror image.
      nextCursor: backward || more ? at("next", last) : null,
      previousCursor: backward ? (more ? at("prev", first) : null) : cursor ? at("prev", first) : null,
    };
  };
  return { query, toPage };
}

/** How many customers match the filters (the export's audit entry records it). */
export async function countCustomers(tx: Executor, filters: CustomerListFilters): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(customers).where(customerListWhere(filters));
  return row?.n ?? 0;
}

export interface CustomerListFacets {
  plans: { id: string; name: string; code: string }[];
  countries: string[];
  currencies: string[];
}

/**
 * The choices for the filter selects. Countries and currencies are read by skipping through their
 * indexes (one probe per distinct value), not by scanning every customer.
 */
export async function customerListFacets(tx: Executor): Promise<CustomerListFacets> {
  const planRows = await tx.select({ id: plans.id, name: plans.name, code: plans.code }).from(plans).orderBy(asc(plans.name), asc(plans.code));
  const countries = await queryRows<{ v: string }>(
    tx,
    sql`with recursive d(v) as (
          (select address ->> 'country' from customers where address ->> 'country' is not null order by 1 limit 1)
          union all
          select (select address ->> 'country' from customers where address ->> 'country' > d.v order by 1 limit 1) from d where d.v is not null
        ) select v from d where v is not null`,
  );
  const currencies = await queryRows<{ v: string }>(
    tx,
    sql`with recursive d(v) as (
          (select currency from customers order by 1 limit 1)
          union all
          select (select currency from customers where currency > d.v order by 1 limit 1) from d where d.v is not null
        ) select v from d where v is not null`,
  );
  return { plans: planRows, countries: countries.map((r) => r.v), currencies: currencies.map((r) => r.v) };
}
