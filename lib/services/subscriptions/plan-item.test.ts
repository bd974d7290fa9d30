import { describe, expect, it } from "vitest";
import { itemsWithPlan, planItemOf } from "./plan-item";

const licensed = (id: string, quantity = 1) => ({ quantity, price: { id, usageType: "licensed" as const } });
const metered = (id: string) => ({ quantity: 1, price: { id, usageType: "metered" as const } });

describe("planItemOf", () => {
  it("the plan is the one licensed item; metered items are add-ons", () => {
    const items = [metered("calls"), licensed("starter", 3), metered("storage")];
    expect(planItemOf(items)).toEqual({ plan: items[1], addOns: [items[0], items[2]], refusal: null });
  });

  it("a usage-only subscription of one item: that item is the plan", () => {
    expect(planItemOf([metered("calls")])).toMatchObject({ plan: { price: { id: "calls" } }, addOns: [], refusal: null });
  });

  it("several licensed items, or several metered items alone, have no single plan", () => {
    expect(planItemOf([licensed("a"), licensed("b"), metered("calls")])).toMatchObject({ plan: null, refusal: expect.stringContaining("several plans") });
    expect(planItemOf([metered("a"), metered("b")])).toMatchObject({ plan: null, refusal: expect.stringContaining("usage only") });
  });
});

describe("itemsWithPlan", () => {
  it("replaces the plan in its place and keeps every add-on with its price and quantity", () => {
    expect(itemsWithPlan([metered("calls"), licensed("starter"), metered("storage")], { priceId: "pro", quantity: 2, usageType: "licensed" })).toEqual([
      { priceId: "calls", quantity: 1 },
      { priceId: "pro", quantity: 2 },
      { priceId: "storage", quantity: 1 },
    ]);
  });

  it("refuses several plans (conflict) and a usage-based target while add-ons stay", () => {
    expect(() => itemsWithPlan([licensed("a"), licensed("b")], { priceId: "pro", quantity: 1, usageType: "licensed" })).toThrow(expect.objectContaining({ code: "conflict" }));
    expect(() => itemsWithPlan([licensed("a"), metered("calls")], { priceId: "calls2", quantity: 1, usageType: "metered" })).toThrow(expect.objectContaining({ code: "validation_failed", param: "priceId" }));
  });
});
