import { AppError } from "@/lib/errors";

/** What the customer is told to do about a subscription the portal can't change. */
export const SUPPORT = "Please contact support to change it.";

/** An item as the subscription views hold it: only what a plan change needs to tell plan from add-on. */
interface ItemLike {
  quantity: number;
  price: { id: string; usageType: "licensed" | "metered" };
}

/**
 * Which item of a subscription is its plan. A metered item is a usage add-on ("API calls") that a
 * change of plan keeps as it is (same price, so it keeps measuring, decision 030); the plan is the one
 * licensed item. A subscription with several licensed items has no single plan to change: `refusal`
 * says why (the portal adds "contact support", the console where to change the items).
 */
export function planItemOf<T extends ItemLike>(items: readonly T[]): { plan: T; addOns: T[]; refusal: null } | { plan: null; addOns: T[]; refusal: string } {
  const licensed = items.filter((i) => i.price.usageType !== "metered");
  const addOns = items.filter((i) => i.price.usageType === "metered");
  if (licensed.length === 1) return { plan: licensed[0]!, addOns, refusal: null };
  // A subscription billed by usage only: its one item is its plan.
  if (licensed.length === 0 && items.length === 1) return { plan: items[0]!, addOns: [], refusal: null };
  return {
    plan: null,
    addOns,
    refusal:
      licensed.length > 1
        ? "This subscription combines several plans, so its plan can't be swapped for another in one step."
        : "This subscription is billed by usage only, on several prices, so its plan can't be swapped for another in one step.",
  };
}

/**
 * The items after changing the subscription's plan to `target`: the plan item replaced in its place,
 * every metered add-on kept with its price and quantity. Refuses a subscription without a single plan
 * item, and a usage-based target while add-ons stay (a plan change swaps the plan, not an add-on).
 */
export function itemsWithPlan(items: readonly ItemLike[], target: { priceId: string; quantity: number; usageType: "licensed" | "metered" }): { priceId: string; quantity: number }[] {
  const { plan, addOns, refusal } = planItemOf(items);
  if (!plan) throw new AppError("conflict", { userMessage: `${refusal} ${SUPPORT}` });
  if (target.usageType === "metered" && addOns.length > 0) {
    throw new AppError("validation_failed", { param: "priceId", userMessage: "Choose a plan with a fixed price: usage-based prices are add-ons that a plan change keeps." });
  }
  return items.map((item) => (item === plan ? { priceId: target.priceId, quantity: target.quantity } : { priceId: item.price.id, quantity: item.quantity }));
}
