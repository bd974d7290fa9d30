"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { AppError } from "@/lib/errors";
import { createCustomer } from "@/lib/services/customers/create-customer";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { advanceTestClock } from "@/lib/services/test-clocks/advance-test-clock";
import { createTestClock } from "@/lib/services/test-clocks/create-test-clock";

/** "2027-01-31T09:30" from a datetime-local input, read as UTC (the console's time zone). */
function utc(value: string, param: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? new Date(`${value}Z`) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new AppError("validation_failed", { param, userMessage: "Enter a date and time." });
  return date;
}

export const createTestClockAction = validatedAction(
  "test_clocks.manage",
  z.object({ name: z.string().trim().max(200).optional(), frozenTime: z.string() }),
  async (input, _user, ctx) => {
    const clock = await createTestClock(ctx, { name: input.name || null, frozenTime: utc(input.frozenTime, "frozenTime") });
    redirect(`/admin/developers/test-clocks/${clock.id}`);
  },
);

export const addClockCustomerAction = validatedAction(
  "test_clocks.manage",
  z.object({
    clockId: z.string().min(1),
    email: z.email("Enter an email address."),
    name: z.string().trim().max(200).optional(),
    card: z.string().min(1),
    priceId: z.string().optional(),
  }),
  async (input, _user, ctx) => {
    const customer = await createCustomer(ctx, { email: input.email, name: input.name || null, currency: "aud", timezone: "UTC", address: { country: "AU" }, testClockId: input.clockId });
    if (input.card !== "none") await attachPaymentMethod(ctx, { customerId: customer.id, token: input.card });
    if (input.priceId) await createSubscription(ctx, { customerId: customer.id, items: [{ priceId: input.priceId, quantity: 1 }] });
    revalidatePath(`/admin/developers/test-clocks/${input.clockId}`);
    return { ok: true, message: `${customer.email} added${input.priceId ? " and subscribed" : ""}.` };
  },
);

export const advanceClockAction = validatedAction("test_clocks.manage", z.object({ clockId: z.string().min(1), to: z.string() }), async (input, _user, ctx) => {
  const clock = await advanceTestClock(ctx, input.clockId, utc(input.to, "to"));
  revalidatePath(`/admin/developers/test-clocks/${input.clockId}`);
  return { ok: true, message: `Advanced to ${clock.frozenTime.toISOString().slice(0, 16).replace("T", " ")} UTC; everything due on the way has run.` };
});
