import DataLoader from "dataloader";
import { and, eq, ne, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { currentPrices, type PriceRow } from "@/db/queries/catalog";
import { paymentMethodsByCustomer, type PaymentMethodRow } from "@/db/queries/customers";
import { withLines, type InvoiceWithLines } from "@/db/queries/invoices";
import { keysetPagePerParent } from "@/db/queries/paginate";
import { paymentsByInvoice, type PaymentRow } from "@/db/queries/payments";
import { withItems, type SubscriptionView } from "@/db/queries/subscriptions";
import { invoices, subscriptions } from "@/db/schema";

/**
 * Per-request batch loaders (DataLoader): every nested list of a query level is read for all its
 * parents in one statement, so a query's statement count depends on its shape, not on how many
 * objects it returns (docs/decisions/037-graphql.md). Every read is scoped to the key's mode.
 */
export interface PageArgs {
  first: number;
  after?: string;
}

/** Up to `first` rows of one parent, and whether there are more. */
export interface Page<T> {
  rows: T[];
  hasMore: boolean;
}

export interface Loaders {
  subscriptionsOfCustomer(args: PageArgs): DataLoader<string, Page<SubscriptionView>>;
  invoicesOfCustomer(args: PageArgs): DataLoader<string, Page<InvoiceWithLines>>;
  invoicesOfSubscription(args: PageArgs): DataLoader<string, Page<InvoiceWithLines>>;
  paymentsOfInvoice: DataLoader<string, PaymentRow[]>;
  paymentMethodsOfCustomer: DataLoader<string, PaymentMethodRow[]>;
  pricesOfPlan: DataLoader<string, PriceRow[]>;
}

function grouped<T>(ids: readonly string[], rows: readonly T[], parentOf: (row: T) => string | null, first: number): Page<T>[] {
  const byParent = new Map<string, T[]>();
  for (const row of rows) {
    const parent = parentOf(row);
    if (parent !== null) byParent.set(parent, [...(byParent.get(parent) ?? []), row]);
  }
  return ids.map((id) => {
    const all = byParent.get(id) ?? [];
    return { rows: all.slice(0, first), hasMore: all.length > first };
  });
}

function fromMap<T>(ids: readonly string[], map: Map<string, T[]>): T[][] {
  return ids.map((id) => map.get(id) ?? []);
}

export function createLoaders(db: Executor, livemode: boolean): Loaders {
  // One loader per list and page arguments: parents asking for the same page share a batch.
  const pagedLoaders = new Map<string, DataLoader<string, Page<never>>>();
  function paged<T>(name: string, args: PageArgs, load: (ids: readonly string[]) => Promise<Page<T>[]>): DataLoader<string, Page<T>> {
    const key = `${name}:${args.first}:${args.after ?? ""}`;
    let loader = pagedLoaders.get(key) as DataLoader<string, Page<T>> | undefined;
    if (!loader) {
      loader = new DataLoader<string, Page<T>>(load);
      pagedLoaders.set(key, loader as unknown as DataLoader<string, Page<never>>);
    }
    return loader;
  }

  // Lists answer drafts only by id, as REST's invoice list does.
  const listedInvoices = and(eq(invoices.livemode, livemode), ne(invoices.status, "draft"));
  const invoicePages = (name: string, parent: PgColumn, parentOf: (row: InvoiceWithLines) => string | null) => (args: PageArgs) =>
    paged(name, args, async (ids) => {
      const rows = await keysetPagePerParent(db, invoices, parent, ids, listedInvoices, { limit: args.first, startingAfter: args.after });
      return grouped(ids, await withLines(db, rows), parentOf, args.first);
    });
  const subscriptionsWhere: SQL | undefined = eq(subscriptions.livemode, livemode);

  return {
    subscriptionsOfCustomer: (args) =>
      paged("subscriptionsOfCustomer", args, async (ids) => {
        const rows = await keysetPagePerParent(db, subscriptions, subscriptions.customerId, ids, subscriptionsWhere, { limit: args.first, startingAfter: args.after });
        return grouped(ids, await withItems(db, rows), (s) => s.customerId, args.first);
      }),
    invoicesOfCustomer: invoicePages("invoicesOfCustomer", invoices.customerId, (i) => i.customerId),
    invoicesOfSubscription: invoicePages("invoicesOfSubscription", invoices.subscriptionId, (i) => i.subscriptionId),
    paymentsOfInvoice: new DataLoader(async (ids) => fromMap(ids, await paymentsByInvoice(db, ids))),
    paymentMethodsOfCustomer: new DataLoader(async (ids) => fromMap(ids, await paymentMethodsByCustomer(db, ids))),
    pricesOfPlan: new DataLoader(async (ids) => fromMap(ids, await currentPrices(db, [...ids]))),
  };
}
