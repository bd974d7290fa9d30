import { eq } from "drizzle-orm";
import type { ObjectRef } from "@pothos/core";
import type { GraphQLSchema } from "graphql";
import type { z } from "zod";
import { customers, plans } from "@/db/schema";
import { customerListWhere } from "@/db/queries/customers";
import { keysetPage } from "@/db/queries/paginate";
import type { InvoiceWithLines } from "@/db/queries/invoices";
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX } from "@/lib/api/pagination";
import { customerResource, toCustomer } from "@/lib/api/resources/customer";
import { invoiceResource, toInvoice } from "@/lib/api/resources/invoice";
import { paymentResource, toPayment } from "@/lib/api/resources/payment";
import { paymentMethodResource, toPaymentMethod } from "@/lib/api/resources/payment-method";
import { planResource, toPlan } from "@/lib/api/resources/plan";
import { subscriptionResource, toSubscription } from "@/lib/api/resources/subscription";
import { toUpcomingInvoice, upcomingInvoiceResource } from "@/lib/api/resources/upcoming-invoice";
import { customerForKey, invoiceForKey, subscriptionForKey } from "@/lib/api/scope";
import { AppError } from "@/lib/errors";
import { upcomingInvoice } from "@/lib/services/subscriptions/preview";
import { builder, type GraphqlContext } from "./builder";
import type { Page, PageArgs } from "./loaders";
import { resourceType, type FieldMap, type Fields, type Types } from "./resource-types";

/**
 * The GraphQL schema (POST /api/graphql): the REST resources as object types, their relations as
 * Relay connections read through batch loaders, and the queries of ../shared/API.md ("GraphQL").
 */
type Customer = z.input<typeof customerResource>;
type Subscription = z.input<typeof subscriptionResource>;
type Invoice = z.input<typeof invoiceResource>;

interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const PageInfo = builder.objectRef<Connection<unknown>["pageInfo"]>("PageInfo").implement({
  description: "Relay page information; cursors are object ids, the same as REST's `starting_after`.",
  fields: (t) => ({
    hasNextPage: t.exposeBoolean("hasNextPage"),
    hasPreviousPage: t.exposeBoolean("hasPreviousPage", { description: "True when the page was asked for `after` a cursor." }),
    startCursor: t.exposeString("startCursor", { nullable: true }),
    endCursor: t.exposeString("endCursor", { nullable: true }),
  }),
});

function connectionType<T>(name: string, node: ObjectRef<Types, T>): ObjectRef<Types, Connection<T>> {
  const edge = builder.objectRef<Connection<T>["edges"][number]>(`${name}Edge`).implement({
    fields: (t) => ({ cursor: t.exposeString("cursor"), node: t.field({ type: node, resolve: (e) => e.node as never }) }),
  });
  return builder.objectRef<Connection<T>>(`${name}Connection`).implement({
    fields: (t) => ({ edges: t.field({ type: [edge], resolve: (c) => c.edges }), pageInfo: t.field({ type: PageInfo, resolve: (c) => c.pageInfo }) }),
  });
}

function toConnection<T extends { id: string }>(page: Page<T>, after: string | undefined): Connection<T> {
  const edges = page.rows.map((node) => ({ cursor: node.id, node }));
  return {
    edges,
    pageInfo: { hasNextPage: page.hasMore, hasPreviousPage: after !== undefined, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

/** `first` (1–100, default 20) and `after` (an object id): the Relay forward-pagination arguments. */
function connectionArgs(t: Fields) {
  return {
    first: t.arg({ type: "Int", required: false, description: `How many objects, 1–${LIST_LIMIT_MAX} (default ${LIST_LIMIT_DEFAULT}).` }),
    after: t.arg.string({ required: false, description: "Objects after this id (the previous page's endCursor)." }),
  };
}

function pageArgs(args: { first?: number | null; after?: string | null }): PageArgs {
  const first = args.first ?? LIST_LIMIT_DEFAULT;
  if (!Number.isInteger(first) || first < 1 || first > LIST_LIMIT_MAX) {
    throw new AppError("out_of_range", { userMessage: `first must be between 1 and ${LIST_LIMIT_MAX}.`, param: "first" });
  }
  return { first, after: args.after ?? undefined };
}

/** Invoices serialised as REST does, the latest payment attempt read through the payments loader. */
async function invoicesOut(ctx: GraphqlContext, rows: InvoiceWithLines[]): Promise<Invoice[]> {
  const payments = await ctx.loaders.paymentsOfInvoice.loadMany(rows.map((r) => r.id));
  return rows.map((row, i) => {
    const attempts = payments[i];
    if (attempts instanceof Error) throw attempts;
    return toInvoice(row, attempts?.[0]);
  });
}

const PaymentType = resourceType("Payment", paymentResource);
const PaymentMethodType = resourceType("PaymentMethod", paymentMethodResource);
const PlanType = resourceType("Plan", planResource);
const UpcomingInvoiceType = resourceType("UpcomingInvoice", upcomingInvoiceResource);

const InvoiceType = resourceType<Invoice>("Invoice", invoiceResource, (t): FieldMap => ({
  payments: t.field({
    type: [PaymentType],
    description: "Every payment attempt, latest first.",
    resolve: async (invoice, _args, ctx: GraphqlContext) => (await ctx.loaders.paymentsOfInvoice.load(invoice.id as string)).map(toPayment),
  }),
}));
const InvoiceConnection = connectionType("Invoice", InvoiceType);

async function invoicePage(ctx: GraphqlContext, loader: "invoicesOfCustomer" | "invoicesOfSubscription", parentId: string, args: PageArgs): Promise<Connection<Invoice>> {
  const page = await ctx.loaders[loader](args).load(parentId);
  return toConnection({ rows: await invoicesOut(ctx, page.rows), hasMore: page.hasMore }, args.after);
}

const SubscriptionType = resourceType<Subscription>("Subscription", subscriptionResource, (t): FieldMap => ({
  invoices: t.field({
    type: InvoiceConnection,
    description: "The subscription's invoices, newest first (drafts are read by id).",
    args: connectionArgs(t),
    resolve: (sub, args, ctx: GraphqlContext) => invoicePage(ctx, "invoicesOfSubscription", sub.id as string, pageArgs(args)),
  }),
  upcomingInvoice: t.field({
    type: UpcomingInvoiceType,
    nullable: true,
    description: "The invoice the next renewal will produce (a dry run); null when nothing will be billed. Computed per subscription: it costs 10 in the query's cost.",
    resolve: async (sub, _args, ctx: GraphqlContext) => {
      try {
        return toUpcomingInvoice(sub.id as string, await upcomingInvoice({ db: ctx.db, actor: ctx.actor, now: ctx.now, requestId: ctx.requestId }, sub.id as string));
      } catch (error) {
        if (error instanceof AppError && error.code === "not_found") return null;
        throw error;
      }
    },
  }),
}));
const SubscriptionConnection = connectionType("Subscription", SubscriptionType);

const CustomerType = resourceType<Customer>("Customer", customerResource, (t): FieldMap => ({
  subscriptions: t.field({
    type: SubscriptionConnection,
    description: "The customer's subscriptions, newest first.",
    args: connectionArgs(t),
    resolve: async (customer, args, ctx: GraphqlContext) => {
      const page = pageArgs(args);
      const rows = await ctx.loaders.subscriptionsOfCustomer(page).load(customer.id as string);
      return toConnection({ rows: rows.rows.map(toSubscription), hasMore: rows.hasMore }, page.after);
    },
  }),
  invoices: t.field({
    type: InvoiceConnection,
    description: "The customer's invoices, newest first (drafts are read by id).",
    args: connectionArgs(t),
    resolve: (customer, args, ctx: GraphqlContext) => invoicePage(ctx, "invoicesOfCustomer", customer.id as string, pageArgs(args)),
  }),
  paymentMethods: t.field({
    type: [PaymentMethodType],
    description: "The attached payment methods, oldest first.",
    resolve: async (customer, _args, ctx: GraphqlContext) => (await ctx.loaders.paymentMethodsOfCustomer.load(customer.id as string)).map((m) => toPaymentMethod(m, ctx.apiKey.livemode)),
  }),
}));
const CustomerConnection = connectionType("Customer", CustomerType);
const PlanConnection = connectionType("Plan", PlanType);

const CustomerFilter = builder.inputType("CustomerFilter", {
  fields: (t) => ({ email: t.string({ required: false }), externalId: t.string({ required: false }) }),
});

/** REST's cursor errors name `starting_after`; here the argument is `after`. */
async function topLevelPage<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof AppError && error.param === "starting_after") throw new AppError(error.code, { userMessage: "No such object: after does not exist.", param: "after" });
    throw error;
  }
}

builder.queryFields((t) => ({
  customer: t.field({
    type: CustomerType,
    args: { id: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => toCustomer(await customerForKey(ctx.db, args.id, ctx.apiKey.livemode)),
  }),
  customers: t.field({
    type: CustomerConnection,
    description: "Customers, newest first.",
    args: { ...connectionArgs(t as unknown as Fields), filter: t.arg({ type: CustomerFilter, required: false }) },
    resolve: async (_root, args, ctx) => {
      const page = pageArgs(args);
      const where = customerListWhere(ctx.apiKey.livemode, { email: args.filter?.email, externalId: args.filter?.externalId });
      const { rows } = await topLevelPage(() => keysetPage(ctx.db, customers, where, { limit: page.first, startingAfter: page.after }));
      return toConnection({ rows: rows.slice(0, page.first).map(toCustomer), hasMore: rows.length > page.first }, page.after);
    },
  }),
  subscription: t.field({
    type: SubscriptionType,
    args: { id: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => toSubscription(await subscriptionForKey(ctx.db, args.id, ctx.apiKey.livemode)),
  }),
  invoice: t.field({
    type: InvoiceType,
    args: { id: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => (await invoicesOut(ctx, [await invoiceForKey(ctx.db, args.id, ctx.apiKey.livemode)]))[0] as Invoice,
  }),
  plans: t.field({
    type: PlanConnection,
    description: "Plans with their current price per currency, newest first.",
    args: { ...connectionArgs(t as unknown as Fields), active: t.arg.boolean({ required: false }) },
    resolve: async (_root, args, ctx) => {
      const page = pageArgs(args);
      const where = typeof args.active === "boolean" ? eq(plans.active, args.active) : undefined;
      const { rows } = await topLevelPage(() => keysetPage(ctx.db, plans, where, { limit: page.first, startingAfter: page.after }));
      const prices = await ctx.loaders.pricesOfPlan.loadMany(rows.map((r) => r.id));
      const out = rows.map((plan, i) => {
        const own = prices[i];
        if (own instanceof Error) throw own;
        return toPlan(plan, own ?? []);
      });
      return toConnection({ rows: out.slice(0, page.first), hasMore: out.length > page.first }, page.after);
    },
  }),
}));

let built: GraphQLSchema | undefined;
export function graphqlSchema(): GraphQLSchema {
  built ??= builder.toSchema();
  return built;
}
