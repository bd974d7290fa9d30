"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { createPlan } from "@/lib/services/catalog/create-plan";
import { createPrice } from "@/lib/services/catalog/create-price";
import { migratePriceVersion } from "@/lib/services/catalog/migrate-price-version";
import { updatePlan } from "@/lib/services/catalog/update-plan";
import { currencyCode, minorUnits, wholeNumber, withFieldNames } from "../form-values";
import { consoleFormatter } from "@/lib/auth/console-formatter";

const text = (label: string, max = 200) => z.string().trim().min(1, `Enter a ${label}.`).max(max, `Keep the ${label} under ${max} characters.`);
const taxBehavior = z.enum(["inclusive", "exclusive"], { error: "Choose how tax applies." });
/** Service params → this page's field names, so errors show next to the right field. */
const priceFields = { currency: "currency", unit_amount: "amount", "prices[0].currency": "currency", "prices[0].unit_amount": "amount", product: "product", plan: "planId" };

export const createPlanAction = validatedAction(
  "catalog.write",
  z.object({
    product: z.string().min(1, "Choose a product."),
    name: text("name"),
    code: z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{1,63}$/, "Use 2–64 lowercase letters, digits, “-” or “_”, e.g. pro-monthly."),
    interval: z.enum(["day", "week", "month", "year"], { error: "Choose an interval." }),
    interval_count: z.string().optional(),
    trial_period_days: z.string().optional(),
    currency: z.string(),
    amount: z.string(),
    tax_behavior: taxBehavior,
  }),
  async (input, _user, ctx) => {
    const fmt = await consoleFormatter();
    const currency = currencyCode(input.currency);
    const unitAmount = minorUnits(input.amount, currency, "amount");
    const { plan } = await withFieldNames(priceFields, () =>
      createPlan(ctx, {
        productId: input.product,
        code: input.code,
        name: input.name,
        interval: input.interval,
        intervalCount: wholeNumber(input.interval_count || "1", "interval_count", { min: 1, max: 1095 }),
        trialPeriodDays: wholeNumber(input.trial_period_days || "0", "trial_period_days", { min: 0, max: 730 }),
        prices: [{ currency, unitAmount, taxBehavior: input.tax_behavior }],
      }),
    );
    redirect(`/admin/catalog/plans/${plan.id}?notice=${encodeURIComponent(`Created ${plan.name} at ${fmt.money(unitAmount, currency)}.`)}`);
  },
);

export const updatePlanAction = validatedAction(
  "catalog.write",
  z.object({ planId: z.string().min(1), name: text("name"), description: z.string().trim().max(1000).optional(), trial_period_days: z.string(), active: z.enum(["true", "false"]) }),
  async (input, _user, ctx) => {
    const plan = await updatePlan(ctx, input.planId, {
      name: input.name,
      description: input.description || null,
      trialPeriodDays: wholeNumber(input.trial_period_days, "trial_period_days", { min: 0, max: 730 }),
      active: input.active === "true",
    });
    revalidatePath(`/admin/catalog/plans/${plan.id}`);
    return { ok: true, message: `Saved ${plan.name}.` };
  },
);

export const createPriceVersionAction = validatedAction(
  "catalog.write",
  z.object({ planId: z.string().min(1), currency: z.string(), amount: z.string(), tax_behavior: taxBehavior }),
  async (input, _user, ctx) => {
    const fmt = await consoleFormatter();
    const currency = currencyCode(input.currency);
    const unitAmount = minorUnits(input.amount, currency, "amount");
    const { price, replaced } = await withFieldNames(priceFields, () => createPrice(ctx, { planId: input.planId, currency, unitAmount, taxBehavior: input.tax_behavior }));
    revalidatePath(`/admin/catalog/plans/${input.planId}`);
    const old = replaced[0];
    return {
      ok: true,
      message: `Version ${price.version} (${fmt.money(unitAmount, currency)}) is now the ${currency.toUpperCase()} price for new subscribers.${old ? ` Subscriptions on version ${old.version} keep it until migrated.` : ""}`,
    };
  },
);

export const migratePriceVersionAction = validatedAction(
  "catalog.write",
  z.object({ planId: z.string().min(1), fromPriceId: z.string().min(1), toPriceId: z.string().min(1) }),
  async (input, _user, ctx) => {
    const run = await migratePriceVersion(ctx, { fromPriceId: input.fromPriceId, toPriceId: input.toPriceId });
    revalidatePath(`/admin/catalog/plans/${input.planId}`);
    const n = run.subscriptionsMoved;
    return { ok: true, message: `Run #${run.id}: ${n} subscription${n === 1 ? "" : "s"} move${n === 1 ? "s" : ""} at their next renewal.` };
  },
);
