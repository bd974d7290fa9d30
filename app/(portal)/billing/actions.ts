"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { AppError } from "@/lib/errors";
import { nudgeJob } from "@/lib/jobs/local-runner";
import { updateCustomer } from "@/lib/services/customers/update-customer";
import { isTaxIdType } from "@/lib/tax/tax-id";
import { isCountryCode } from "@/components/portal/countries";

const text = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} can be at most ${max} characters.`)
    .transform((v) => (v === "" ? null : v));

const schema = z
  .object({
    name: text(200, "Name"),
    email: z.string().trim().min(1, "Enter the email address for invoices.").max(254, "That email address is too long.").pipe(z.email("Enter an email address like name@example.com.")),
    line1: text(200, "Address line 1"),
    line2: text(200, "Address line 2"),
    city: text(100, "City"),
    state: text(100, "State or region"),
    postal_code: text(20, "Postal code"),
    country: z
      .string()
      .trim()
      .refine((v) => v === "" || isCountryCode(v), "Choose a country from the list.")
      .transform((v) => (v === "" ? null : v)),
    tax_id_type: z.string().refine((v) => v === "" || isTaxIdType(v), "Choose a tax ID type from the list."),
    tax_id: z.string().trim().max(40, "That is too long for a tax ID."),
  })
  .superRefine((v, ctx) => {
    if (v.tax_id && !v.tax_id_type) ctx.addIssue({ code: "custom", path: ["tax_id_type"], message: "Choose what kind of tax ID this is." });
    if (v.tax_id_type && !v.tax_id) ctx.addIssue({ code: "custom", path: ["tax_id"], message: "Enter the number, or choose “No tax ID”." });
  });

/**
 * Saves the signed-in customer's billing details. The tax ID goes through the same validator as
 * the rest of Tally (lib/tax/tax-id.ts via updateCustomer), so its error lands next to the field.
 */
export const saveBillingDetailsAction = validatedAction("portal.self", schema, async (input, user, ctx) => {
  if (!user.customerId) throw new AppError("not_found", { userMessage: "Your account has no billing profile." });
  await updateCustomer(ctx, user.customerId, {
    name: input.name,
    email: input.email,
    address: { line1: input.line1, line2: input.line2, city: input.city, state: input.state, postal_code: input.postal_code, country: input.country },
    taxIds: input.tax_id_type && input.tax_id ? [{ type: input.tax_id_type, value: input.tax_id }] : [],
  });
  nudgeJob("outbox.dispatch");
  revalidatePath("/billing");
  return { ok: true, message: "Billing details saved. They apply to invoices issued from now on." };
});
