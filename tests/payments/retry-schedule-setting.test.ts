import { describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { invoices, payments } from "@/db/schema";
import { setSetting } from "@/lib/services/settings/settings";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { clockCustomer } from "../scenarios/support";
import { DAY_MS } from "@/lib/time";
import { makePlan } from "../factories";


describe("the retry schedule is a setting", () => {
  it("retries soft declines on the configured days and refuses a schedule that does not increase", async () => {
    const { ctx, customerId, advance } = await clockCustomer(new Date("2027-05-01T00:00:00Z"), { timezone: "UTC" });
    await setSetting(ctx, "payments.retry_schedule_days", [2, 5]);
    await expect(setSetting(ctx, "payments.retry_schedule_days", [5, 2])).rejects.toMatchObject({ code: "validation_failed" });
    const { priceId } = await makePlan(ctx.db, { code: "starter", unitAmount: 1000 });
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }] });
    await attachPaymentMethod(ctx, { customerId, token: "pm_card_chargeCustomerFail", makeDefault: true });

    await advance("2027-06-01T00:00:01Z"); // the renewal fails
    const [renewal] = await ctx.db.select().from(invoices).where(eq(invoices.subscriptionId, subscription.id)).orderBy(asc(invoices.createdAt)).offset(1);
    const failedAt = new Date("2027-06-01T00:00:00Z").getTime();
    expect(renewal?.nextPaymentAttemptAt?.getTime()).toBe(failedAt + 2 * DAY_MS);

    await advance("2027-06-10T00:00:00Z");
    const attempts = await ctx.db.select().from(payments).where(eq(payments.invoiceId, renewal!.id)).orderBy(asc(payments.attempt));
    expect(attempts.map((p) => [p.status, p.createdAt.getTime() - failedAt])).toEqual([
      ["failed", 0],
      ["failed", 2 * DAY_MS],
      ["failed", 5 * DAY_MS],
    ]);
    const [after] = await ctx.db.select().from(invoices).where(eq(invoices.id, renewal!.id));
    expect(after?.nextPaymentAttemptAt).toBeNull();
  });
});
