import { z } from "zod";
import type { TaxRegistrationRow } from "@/db/queries/tax";
import { formatDecimal, parseDecimal } from "@/lib/money";
import type { TaxRateRule } from "@/lib/tax/rates";
import { iso, timestamp } from "./common";

export const taxRateResource = z
  .object({
    object: z.literal("tax_rate"),
    id: z.string().nullable().meta({ description: "null for a rate Tally ships (source built_in)." }),
    source: z.enum(["built_in", "stored"]),
    country: z.string().meta({ example: "DE" }),
    region: z.string().nullable().meta({ description: "A state or province (US, CA); null for the whole country.", example: null }),
    kind: z.enum(["gst", "vat", "sales_tax"]),
    percentage: z.string().meta({ description: "Percent, exact.", example: "19" }),
    effective_from: z.string().nullable().meta({ description: "First day in force (inclusive, UTC); null: always.", example: "2027-01-01" }),
    effective_to: z.string().nullable().meta({ description: "Last day in force (inclusive, UTC); null: while in force." }),
    saas_taxable: z.boolean().meta({ description: "Whether software as a service is taxed at this rate (US states differ)." }),
  })
  .meta({ id: "TaxRate" });

export function toTaxRate(r: TaxRateRule): z.input<typeof taxRateResource> {
  const stored = r.source !== "built_in";
  return {
    object: "tax_rate",
    id: stored ? r.source : null,
    source: stored ? "stored" : "built_in",
    country: r.country,
    region: r.region,
    kind: r.kind,
    percentage: formatDecimal(parseDecimal(r.percentage)),
    effective_from: r.effectiveFrom,
    effective_to: r.effectiveTo,
    saas_taxable: r.saasTaxable,
  };
}

export const taxRegistrationResource = z
  .object({
    object: z.literal("tax_registration"),
    id: z.string().nullable().meta({ description: "null for the install's default registration (TALLY_DEFAULT_COUNTRY)." }),
    country: z.string().meta({ example: "IE" }),
    region: z.string().nullable(),
    scheme: z.enum(["standard", "oss"]).meta({ description: "`oss`: the EU One-Stop Shop, taxing consumers in other member states at their country's rate." }),
    active_from: z.string().nullable().meta({ description: "First day registered (UTC); null: always." }),
    created: timestamp.nullable(),
  })
  .meta({ id: "TaxRegistration" });

export function toTaxRegistration(r: Pick<TaxRegistrationRow, "country" | "region" | "scheme" | "activeFrom"> & { id: string | null; createdAt: Date | null }): z.input<typeof taxRegistrationResource> {
  return { object: "tax_registration", id: r.id, country: r.country, region: r.region, scheme: r.scheme, active_from: r.activeFrom, created: r.createdAt ? iso(r.createdAt) : null };
}
