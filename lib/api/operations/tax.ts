import { z } from "zod";
import { defineOperation } from "../operation";
import { listOf } from "../pagination";
import { taxRateResource, taxRegistrationResource } from "../resources/tax";

const TAGS = ["Tax"];

const country = z
  .string()
  .regex(/^[A-Za-z]{2}$/, { message: "must be a two-letter ISO 3166 country code" })
  .meta({ example: "DE" });
const region = z.string().min(1).max(10).nullable().optional().meta({ description: "A state or province code (US, CA): TX, ON. Omit or null for the whole country." });
const day = z.iso.date();

export const createTaxRateOp = defineOperation({
  method: "POST",
  path: "/tax_rates",
  operationId: "createTaxRate",
  summary: "Add a tax rate",
  description:
    "A rate for a country (or a region) in force from `effective_from` to `effective_to` (inclusive UTC days). It applies to invoices dated on or after its first day; invoices already issued keep their tax. A stored rate wins over the rate Tally ships for the same place and day; where several stored rates are in force, the latest to start. US sales tax is never shipped: set each state's rate and whether it taxes software as a service (`saas_taxable`).",
  tags: TAGS,
  body: z
    .object({
      country,
      region,
      kind: z.enum(["gst", "vat", "sales_tax"]),
      percentage: z
        .string()
        .regex(/^\d{1,3}(\.\d{1,6})?$/, { message: 'must be a percentage as a decimal string, e.g. "19" or "9.975"' })
        .meta({ example: "19" }),
      effective_from: day.nullable().optional().meta({ example: "2027-01-01" }),
      effective_to: day.nullable().optional(),
      saas_taxable: z.boolean().optional().meta({ description: "Default true." }),
    })
    .strict(),
  response: taxRateResource,
});

export const listTaxRatesOp = defineOperation({
  method: "GET",
  path: "/tax_rates",
  operationId: "listTaxRates",
  summary: "List tax rates: stored ones, then the ones Tally ships",
  description: "Every rate, with its days in force (the history of each place). `country` narrows to one country.",
  tags: TAGS,
  query: z.object({ country: country.optional() }),
  response: listOf(taxRateResource),
});

export const createTaxRegistrationOp = defineOperation({
  method: "POST",
  path: "/tax_registrations",
  operationId: "createTaxRegistration",
  summary: "Register the business for tax in a country or region",
  description:
    "Tax is collected only where the business is registered, as in Stripe Tax. `scheme` `oss` on an EU member state is the One-Stop Shop: consumers in other member states are taxed at their country's rate. A new install is registered in TALLY_DEFAULT_COUNTRY (default AU) since always; storing a registration for that country replaces it. One registration per country and region (409 otherwise).",
  tags: TAGS,
  body: z
    .object({
      country,
      region,
      scheme: z.enum(["standard", "oss"]).optional().meta({ description: "Default standard." }),
      active_from: day.nullable().optional().meta({ description: "First day registered; omit for always." }),
    })
    .strict(),
  response: taxRegistrationResource,
});

export const listTaxRegistrationsOp = defineOperation({
  method: "GET",
  path: "/tax_registrations",
  operationId: "listTaxRegistrations",
  summary: "List the business's tax registrations",
  description: "Including the install's default registration (id null) while none is stored for its country.",
  tags: TAGS,
  response: listOf(taxRegistrationResource),
});

export const taxOperations = [createTaxRateOp, listTaxRatesOp, createTaxRegistrationOp, listTaxRegistrationsOp];
