import { currentPrices, findPriceWithPlan, type PlanRow, type PriceRow } from "@/db/queries/catalog";
import { customerNow, findCustomer } from "@/db/queries/customers";
import type { SubscriptionView } from "@/db/queries/subscriptions";
import type { InvoiceRow } from "@/db/queries/invoices";
import { isDowngrade } from "@/lib/billing/subscriptions/change";
import { AppError, notFound } from "@/lib/errors";
import { intervalLabel } from "@/lib/format";
import type { ServiceContext } from "../context";
import { previewSubscriptionUpdate, type ChangePreview } from "../subscriptions/preview";
import { updateSubscription, type UpdateSubscriptionInput } from "../subscriptions/update-subscription";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import { toItemTerms } from "../subscriptions/item-terms";
import { itemsWithPlan, planItemOf, SUPPORT } from "../subscriptions/plan-item";
import { portalSubscription } from "./portal-subscription";
import { systemFormatter } from "@/lib/format";

/** Messages and details here have no one reader: the business locale writes them. */
const fmt = systemFormatter();

/** Upgrades apply now (prorated, invoiced and charged today); downgrades wait for the period end; a trial just switches. */
export type ChangeKind = "upgrade" | "downgrade" | "trial";

export interface PlanChangeRequest {
  subscriptionId: string;
  priceId: string;
  quantity: number;
}

export interface PlanChangePreview extends ChangePreview {
  kind: ChangeKind;
  effective: "now" | "period_end";
  /** The instant the proration is computed at; confirming passes it back so the charge equals this preview. */
  prorationDate: Date;
  /** When the change takes effect: now, or the end of the current period. */
  effectiveAt: Date;
  target: { plan: PlanRow; price: PriceRow; quantity: number };
  /** The usage add-ons the change keeps as they are (they keep measuring at their price). */
  addOns: { plan: PlanRow; price: PriceRow }[];
}

/** A preview older than this is refused on confirm: the customer reviews the amount again. */
const PREVIEW_VALID_MS = 60 * 60 * 1000;
const MAX_QUANTITY = 10_000;

const APPROX_DAYS = { day: 1, week: 7, month: 30, year: 365 } as const;

/**
 * How the portal makes a change. A longer interval is an upgrade and a shorter one a downgrade
 * (SPEC: "a shorter interval counts as a downgrade"); on the same interval the engine's
 * isDowngrade compares the price per period. During a trial nothing is charged, so it applies now.
 */
export function changeKind(subscription: Pick<SubscriptionView, "status" | "items">, target: { plan: PlanRow; price: PriceRow; quantity: number }): ChangeKind {
  if (subscription.status === "trialing") return "trial";
  const { plan, addOns } = planItemOf(subscription.items);
  const current = plan ?? subscription.items[0]!;
  const before = subscription.items.map((i) => toItemTerms(i.price, i.plan, i.quantity));
  // Metered add-ons cost what is used: the comparison is the plan's (isDowngrade counts licensed items only).
  const after = [toItemTerms(target.price, target.plan, target.quantity), ...addOns.map((i) => toItemTerms(i.price, i.plan, i.quantity))];
  const b = APPROX_DAYS[current.plan.interval] * current.plan.intervalCount;
  const a = APPROX_DAYS[target.plan.interval] * target.plan.intervalCount;
  if (a !== b) return a > b ? "upgrade" : "downgrade";
  return isDowngrade(before, after) ? "downgrade" : "upgrade";
}

/** The plan item replaced by the target, every usage add-on kept with its price (decision 030). */
function updateInput(kind: ChangeKind, subscription: SubscriptionView, target: { price: PriceRow; quantity: number }, prorationDate: Date): UpdateSubscriptionInput {
  const items = itemsWithPlan(subscription.items, { priceId: target.price.id, quantity: target.quantity, usageType: target.price.usageType });
  switch (kind) {
    case "upgrade":
      return { items, prorationBehavior: "always_invoice", effective: "now", prorationDate };
    case "downgrade":
      return { items, prorationBehavior: "create_prorations", effective: "period_end" };
    case "trial":
      return { items, prorationBehavior: "create_prorations", effective: "now", prorationDate };
  }
}

/** The price the customer may move to: a current catalog price in their currency, or (for a seat change) the one they have. */
async function targetOf(ctx: ServiceContext, subscription: SubscriptionView, request: PlanChangeRequest): Promise<{ plan: PlanRow; price: PriceRow; quantity: number }> {
  if (!Number.isSafeInteger(request.quantity) || request.quantity < 1 || request.quantity > MAX_QUANTITY) {
    throw new AppError("validation_failed", { param: "quantity", userMessage: `Choose a quantity from 1 to ${fmt.count(MAX_QUANTITY)}.` });
  }
  const { plan: current, addOns, refusal } = planItemOf(subscription.items);
  if (!current) throw new AppError("conflict", { userMessage: `${refusal} ${SUPPORT}` });
  const found = await findPriceWithPlan(ctx.db, request.priceId);
  if (!found) throw notFound("plan", "priceId");
  const isCurrentPrice = found.price.id === current.price.id;
  if (!isCurrentPrice) {
    const offered = (await currentPrices(ctx.db, [found.plan.id])).get(found.plan.id) ?? [];
    const sellable = found.plan.active && offered.some((p) => p.id === found.price.id);
    if (!sellable || found.price.currency !== subscription.currency) throw notFound("plan", "priceId");
  }
  if (isCurrentPrice && request.quantity === current.quantity) {
    throw new AppError("validation_failed", { param: "priceId", userMessage: "That's what you have now. Choose another plan or quantity." });
  }
  if (found.price.usageType === "metered" && addOns.length > 0) throw notFound("plan", "priceId");
  // Every item bills on one interval and the add-ons are kept: the plan keeps their interval.
  const addOn = addOns.find((a) => a.plan.interval !== found.plan.interval || a.plan.intervalCount !== found.plan.intervalCount);
  if (addOn) {
    const every = intervalLabel(addOn.plan.interval, addOn.plan.intervalCount);
    throw new AppError("validation_failed", { param: "priceId", userMessage: `Your ${addOn.plan.name} add-on is billed every ${every}, so your plan must be too. Please contact support to change how often you're billed.` });
  }
  return { ...found, quantity: request.quantity };
}

/** What changing to `priceId` × `quantity` will charge today and on the next invoice, for the customer's own subscription. */
export async function previewPlanChange(ctx: ServiceContext, customerId: string, request: PlanChangeRequest): Promise<PlanChangePreview> {
  const subscription = await portalSubscription(ctx.db, customerId, request.subscriptionId);
  const target = await targetOf(ctx, subscription, request);
  const kind = changeKind(subscription, target);
  const customer = await findCustomer(ctx.db, customerId);
  if (!customer) throw notFound("customer");
  const prorationDate = await customerNow(ctx.db, customer, ctx.now);
  const input = updateInput(kind, subscription, target, prorationDate);
  const preview = await previewSubscriptionUpdate(ctx, subscription.id, input);
  return {
    ...preview,
    kind,
    effective: input.effective,
    prorationDate,
    effectiveAt: input.effective === "now" ? prorationDate : subscription.currentPeriodEnd,
    target,
    addOns: planItemOf(subscription.items).addOns.map(({ plan, price }) => ({ plan, price })),
  };
}

/**
 * Apply exactly the previewed change: the same terms at the preview's proration instant. If what
 * would be charged today is no longer what the customer saw (their balance changed, the period
 * renewed), nothing happens and they are asked to review the new amount.
 */
export async function applyPlanChange(
  ctx: ServiceContext,
  customerId: string,
  request: PlanChangeRequest & { prorationDate: Date; expectedAmountDue: number },
): Promise<{ subscription: SubscriptionRow; invoice: InvoiceRow | null; kind: ChangeKind }> {
  const subscription = await portalSubscription(ctx.db, customerId, request.subscriptionId);
  const target = await targetOf(ctx, subscription, request);
  const kind = changeKind(subscription, target);
  const customer = await findCustomer(ctx.db, customerId);
  if (!customer) throw notFound("customer");
  const now = await customerNow(ctx.db, customer, ctx.now);
  const age = now.getTime() - request.prorationDate.getTime();
  if (age < 0 || age > PREVIEW_VALID_MS) {
    throw new AppError("conflict", { param: "prorationDate", userMessage: "This preview is out of date. Please review the amount again before confirming." });
  }
  const input = updateInput(kind, subscription, target, request.prorationDate);
  const check = await previewSubscriptionUpdate(ctx, subscription.id, input);
  if (check.amountDueNow !== request.expectedAmountDue) {
    throw new AppError("conflict", { param: "expectedAmountDue", userMessage: "The amount due today has changed since your preview. Please review it again before confirming." });
  }
  const { subscription: updated, invoice } = await updateSubscription(ctx, subscription.id, input);
  return { subscription: updated, invoice, kind };
}
