import { asc, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { taxRates, taxRegistrations } from "../schema";

export type TaxRateRow = typeof taxRates.$inferSelect;
export type TaxRegistrationRow = typeof taxRegistrations.$inferSelect;

/** Stored tax rates by place, then start (the history of each place in order); the percentage as written. */
export async function listTaxRateRows(db: Executor): Promise<TaxRateRow[]> {
  return db
    .select({ id: taxRates.id, country: taxRates.country, region: taxRates.region, kind: taxRates.kind, percentage: sql<string>`${taxRates.percentage}::text`, effectiveFrom: taxRates.effectiveFrom, effectiveTo: taxRates.effectiveTo, saasTaxable: taxRates.saasTaxable, createdAt: taxRates.createdAt })
    .from(taxRates)
    .orderBy(asc(taxRates.country), sql`coalesce(${taxRates.region}, '')`, sql`${taxRates.effectiveFrom} asc nulls first`, asc(taxRates.id));
}

export async function listTaxRegistrationRows(db: Executor): Promise<TaxRegistrationRow[]> {
  return db.select().from(taxRegistrations).orderBy(asc(taxRegistrations.country), sql`coalesce(${taxRegistrations.region}, '')`);
}
