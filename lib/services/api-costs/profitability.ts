import { costPieces } from "@/db/queries/api-costs";
import { customers } from "@/db/schema";
import { customersWithPlan, gatewayFeePieces, revenuePieces, type CustomerLabel, type CustomerPiece } from "@/db/queries/profitability";
import { eq } from "drizzle-orm";
import { AppError, notFound } from "@/lib/errors";
import { addDecimal, normalizeCurrency, parseDecimal, roundDecimal, ZERO_DECIMAL, type ExactDecimal } from "@/lib/money";
import { signupDefaults } from "@/lib/settings/defaults";
import type { ServiceContext } from "../context";
import { fxConverter } from "./fx";
import { modeOf } from "./providers";

export interface ProfitQuery {
  from: Date;
  to: Date;
  /** The reporting currency; default the install's default currency. */
  currency?: string;
  /** The mode; default the caller's (an API key's, test mode for staff). The console passes its customer's. */
  livemode?: boolean;
}

/** Minor units of `currency`, each figure rounded once; margin = revenue − api_cost − gateway_fees exactly. */
export interface Profitability {
  revenue: number;
  apiCost: number;
  gatewayFees: number;
  margin: number;
  currency: string;
}

interface ExactFigures {
  revenue: ExactDecimal;
  apiCost: ExactDecimal;
  gatewayFees: ExactDecimal;
}

const NOTHING: ExactFigures = { revenue: ZERO_DECIMAL, apiCost: ZERO_DECIMAL, gatewayFees: ZERO_DECIMAL };

function addFigures(a: ExactFigures, b: ExactFigures): ExactFigures {
  return { revenue: addDecimal(a.revenue, b.revenue), apiCost: addDecimal(a.apiCost, b.apiCost), gatewayFees: addDecimal(a.gatewayFees, b.gatewayFees) };
}

/** Each figure rounded once (half away from zero); the margin is their difference, so the row adds up. */
function rounded(f: ExactFigures, currency: string): Profitability {
  const revenue = roundDecimal(f.revenue);
  const apiCost = roundDecimal(f.apiCost);
  const gatewayFees = roundDecimal(f.gatewayFees);
  return { revenue, apiCost, gatewayFees, margin: revenue - apiCost - gatewayFees, currency };
}

function checkRange(query: ProfitQuery): string {
  if (query.from >= query.to) throw new AppError("validation_failed", { param: "to", userMessage: "to must be after from." });
  return normalizeCurrency(query.currency ?? signupDefaults.currency);
}

/**
 * Exact figures per customer over [from, to) in `currency`: revenue net of tax, refunds and credit
 * notes (db/queries/profitability.ts), API costs attributed to the customer, and the gateway fees
 * recorded on their payments, every piece converted at its day's rate (fxConverter) and summed
 * exactly. Customers with none of the three are absent.
 */
async function figuresByCustomer(ctx: ServiceContext, query: ProfitQuery, currency: string, customerId?: string): Promise<Map<string, ExactFigures>> {
  const range = { livemode: query.livemode ?? modeOf(ctx), from: query.from, to: query.to, customerIds: customerId === undefined ? undefined : [customerId] };
  const [revenue, fees, costs] = await Promise.all([
    revenuePieces(ctx.db, range),
    gatewayFeePieces(ctx.db, range),
    costPieces(ctx.db, { livemode: range.livemode, from: query.from, to: query.to, groupBy: "customer", customerId }),
  ]);
  const attributed: CustomerPiece[] = costs.flatMap((c) => (c.key === null ? [] : [{ customerId: c.key, currency: c.currency, day: c.day, amount: c.cost }]));
  const all = [...revenue, ...fees, ...attributed];
  const convert = await fxConverter(ctx.db, all, currency);
  const figures = new Map<string, ExactFigures>();
  const add = (pieces: CustomerPiece[], field: keyof ExactFigures) => {
    for (const p of pieces) {
      const f = figures.get(p.customerId) ?? NOTHING;
      figures.set(p.customerId, { ...f, [field]: addDecimal(f[field], convert({ ...p, amount: parseDecimal(p.amount, field) })) });
    }
  };
  add(revenue, "revenue");
  add(attributed, "apiCost");
  add(fees, "gatewayFees");
  return figures;
}

/** A customer's profitability over [from, to): GET /customers/{id}/profitability. */
export async function customerProfitability(ctx: ServiceContext, customerId: string, query: ProfitQuery): Promise<Profitability> {
  const currency = checkRange(query);
  const [customer] = await ctx.db.select({ livemode: customers.livemode }).from(customers).where(eq(customers.id, customerId));
  if (!customer || customer.livemode !== (query.livemode ?? modeOf(ctx))) throw notFound("customer", "id");
  const figures = await figuresByCustomer(ctx, query, currency, customerId);
  return rounded(figures.get(customerId) ?? NOTHING, currency);
}

export interface CustomerProfit extends Profitability {
  customer: Omit<CustomerLabel, "planId" | "planName">;
  plan: { id: string; name: string | null } | null;
}

/** Every customer with revenue, costs or fees over [from, to), each row rounded once, lowest margin first. */
export async function profitabilityByCustomer(ctx: ServiceContext, query: ProfitQuery): Promise<CustomerProfit[]> {
  return (await profitabilityOverview(ctx, query)).customers;
}

/** The customers whose margin over [from, to) is below zero, the worst first (the console's list). */
export async function unprofitableCustomers(ctx: ServiceContext, query: ProfitQuery, limit = 50): Promise<CustomerProfit[]> {
  return (await profitabilityByCustomer(ctx, query)).filter((c) => c.margin < 0).slice(0, limit);
}

export interface PlanProfit extends Profitability {
  /** null: customers without a current plan. */
  plan: { id: string; name: string | null } | null;
  customers: number;
}

/**
 * Profitability per plan over [from, to): the exact figures of the customers whose current plan it
 * is, summed and rounded once per plan (a customer who changed plan in the range counts under the
 * plan they are on now).
 */
export async function profitabilityByPlan(ctx: ServiceContext, query: ProfitQuery): Promise<PlanProfit[]> {
  return (await profitabilityOverview(ctx, query)).plans;
}

/**
 * Per customer (lowest margin first) and per plan (lowest margin first) over [from, to) from one
 * read of the figures: the console's profitability section.
 */
export async function profitabilityOverview(ctx: ServiceContext, query: ProfitQuery): Promise<{ customers: CustomerProfit[]; plans: PlanProfit[] }> {
  const currency = checkRange(query);
  const figures = await figuresByCustomer(ctx, query, currency);
  const labels = await customersWithPlan(ctx.db, [...figures.keys()]);
  const customerRows = [...figures]
    .map(([id, f]) => {
      const label = labels.get(id);
      return {
        ...rounded(f, currency),
        customer: { id, name: label?.name ?? null, email: label?.email ?? "" },
        plan: label?.planId ? { id: label.planId, name: label.planName } : null,
      };
    })
    .sort((a, b) => a.margin - b.margin || a.customer.id.localeCompare(b.customer.id));
  const plans = new Map<string | null, { plan: PlanProfit["plan"]; figures: ExactFigures; customers: number }>();
  for (const [id, f] of figures) {
    const label = labels.get(id);
    const key = label?.planId ?? null;
    const row = plans.get(key) ?? { plan: key === null ? null : { id: key, name: label?.planName ?? null }, figures: NOTHING, customers: 0 };
    plans.set(key, { ...row, figures: addFigures(row.figures, f), customers: row.customers + 1 });
  }
  const planRows = [...plans.values()].map((p) => ({ ...rounded(p.figures, currency), plan: p.plan, customers: p.customers })).sort((a, b) => a.margin - b.margin);
  return { customers: customerRows, plans: planRows };
}
