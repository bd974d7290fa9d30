import type { CustomerListFilters, CustomerListSort, DunningState, SortDirection, SubscriptionFilter } from "@/db/queries/customer-list";
import type { SubscriptionStatus } from "@/lib/billing/subscriptions/statuses";

/**
 * The customer list's state lives in the URL (?q=&status=&plan=&dunning=&country=&currency=&sort=
 * &dir=&limit=&cursor=), so a view can be bookmarked, shared and exported as it is. Parsing is
 * forgiving: a value that is not one of the choices is dropped, never an error page. Safe to import
 * from client components (no database code).
 */

export const customerListSorts = ["created", "name", "email", "balance"] as const satisfies readonly CustomerListSort[];
export const customerListPageSizes = [25, 50, 100] as const;
export const dunningStates = ["active", "warning", "blocked"] as const satisfies readonly DunningState[];
export const subscriptionStatusChoices = [
  "active",
  "trialing",
  "past_due",
  "paused",
  "unpaid",
  "incomplete",
  "incomplete_expired",
  "canceled",
] as const satisfies readonly SubscriptionStatus[];

/** The direction a column sorts in when first clicked: names and emails A→Z, dates and money largest first. */
export const firstDirection: Record<CustomerListSort, SortDirection> = { created: "desc", name: "asc", email: "asc", balance: "desc" };

export interface CustomerListParams extends CustomerListFilters {
  sort: CustomerListSort;
  dir: SortDirection;
  limit: number;
  cursor: string | null;
}

export const defaultParams: CustomerListParams = { sort: "created", dir: "desc", limit: 25, cursor: null };

type Source = URLSearchParams | Record<string, string | string[] | undefined>;

function read(source: Source, key: string): string | undefined {
  if (source instanceof URLSearchParams) return source.get(key) ?? undefined;
  const value = source[key];
  return Array.isArray(value) ? value[0] : value;
}

function oneOf<T extends string>(value: string | undefined, choices: readonly T[]): T | undefined {
  return choices.find((c) => c === value);
}

export function parseCustomerListParams(source: Source): CustomerListParams {
  const q = read(source, "q")?.trim().slice(0, 200);
  const status = oneOf<SubscriptionFilter>(read(source, "status"), [...subscriptionStatusChoices, "none"]);
  const plan = read(source, "plan");
  const country = read(source, "country");
  const currency = read(source, "currency");
  const sort = oneOf(read(source, "sort"), customerListSorts) ?? defaultParams.sort;
  const dir = oneOf<SortDirection>(read(source, "dir"), ["asc", "desc"]) ?? (read(source, "sort") ? firstDirection[sort] : defaultParams.dir);
  const limit = Number(read(source, "limit"));
  const cursor = read(source, "cursor");
  return {
    q: q || undefined,
    status,
    plan: plan && /^[\w-]{1,100}$/.test(plan) ? plan : undefined,
    dunning: oneOf(read(source, "dunning"), dunningStates),
    country: country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : undefined,
    currency: currency && /^[A-Za-z]{3}$/.test(currency) ? currency.toLowerCase() : undefined,
    sort,
    dir,
    limit: (customerListPageSizes as readonly number[]).includes(limit) ? limit : defaultParams.limit,
    cursor: cursor && cursor.length <= 2000 ? cursor : null,
  };
}

/** Whether any filter (search included) narrows the list. */
export function hasFilters(params: CustomerListFilters): boolean {
  return !!(params.q || params.status || params.plan || params.dunning || params.country || params.currency);
}

/** The query string for a state, defaults left out (so the plain list is just `?`-less). */
export function customerListQueryString(params: Partial<CustomerListParams>): string {
  const search = new URLSearchParams();
  const put = (key: string, value: string | number | null | undefined) => {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  };
  put("q", params.q);
  put("status", params.status);
  put("plan", params.plan);
  put("dunning", params.dunning);
  put("country", params.country);
  put("currency", params.currency);
  if (params.sort && (params.sort !== defaultParams.sort || (params.dir && params.dir !== defaultParams.dir))) {
    put("sort", params.sort);
    if (params.dir && params.dir !== firstDirection[params.sort]) put("dir", params.dir);
  }
  if (params.limit && params.limit !== defaultParams.limit) put("limit", params.limit);
  put("cursor", params.cursor);
  const text = search.toString();
  return text ? `?${text}` : "";
}

export function customerListHref(params: Partial<CustomerListParams>): string {
  return `/admin/customers${customerListQueryString(params)}`;
}

/** The same view from its first page (a filter or sort changed, so the cursor no longer applies). */
export function firstPage(params: CustomerListParams, change: Partial<CustomerListParams>): CustomerListParams {
  return { ...params, ...change, cursor: null };
}
