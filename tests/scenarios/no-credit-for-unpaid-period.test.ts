import { describe, expect, it } from "vitest";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { cancelSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { balanceOf, clockCustomer, subscriptionRow } from "./support";
import { inBothApplyModes } from "./apply-modes";
import { makePlan } from "../factories";

describe("scenario: no credit for time that was never paid", () => {
  it("canceling a past-due subscription with prorate credits nothing and leaves the period's invoice owed", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(new Date("2027-05-01T00:00:00Z"), { timezone: "UTC" });
    const { priceId } = await makePlan(ctx.db, { code: "starter", unitAmount: 3000 });
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }] });
    await attachPaymentMethod(ctx, { customerId, token: "pm_card_chargeCustomerFail", makeDefault: true });
    await advance("2027-06-01T00:00:01Z"); // the renewal fails: past due
    expect((await subscriptionRow(subscription.id)).status).toBe("past_due");
    await advance("2027-06-01T12:00:00Z");
    const { credited } = await cancelSubscription(ctx, subscription.id, { atPeriodEnd: false, prorate: true });
    expect(credited).toBe(0);
    expect(await balanceOf(customerId)).toBe(0);
  }));
});
