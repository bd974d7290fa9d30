import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { CustomerRow } from "@/db/queries/customers";
import { customers } from "@/db/schema";
import { stripeTax } from "@/lib/payments";
import { taxPlaceKey, type ProvidedTax } from "@/lib/tax/provided";
import { getSetting } from "../settings/settings";

/**
 * Stripe Tax's decisions, kept on customers (decision 039, "Stripe Tax"). Invoices are planned from
 * the stored decision, never by calling Stripe in the middle of a billing run: a customer is asked
 * about when its address, tax ids or exemption change (customer.created / customer.updated) and
 * again by the daily refresh once a decision is older than REFRESH_AFTER_DAYS or no longer matches
 * the customer's place. Until a decision holds, the engine charges from Tally's own tables.
 */

export const REFRESH_AFTER_DAYS = 30;
const DAY_MS = 86_400_000;

/** Stripe Tax when `tax.provider` is stripe_tax and Stripe is the gateway; otherwise null. */
async function providerInUse(db: Db) {
  return (await getSetting(db, "tax.provider")) === "stripe_tax" ? stripeTax() : null;
}

/** Whether the stored decision still holds for the customer's place at `now`. */
export function providedTaxHolds(customer: Pick<CustomerRow, "providedTax" | "address" | "taxExempt" | "taxIds" | "currency">, now: Date): boolean {
  const provided = customer.providedTax;
  if (!provided || provided.place !== taxPlaceKey(customer)) return false;
  return now.getTime() - Date.parse(provided.decidedAt) < REFRESH_AFTER_DAYS * DAY_MS;
}

type Ask = NonNullable<Awaited<ReturnType<typeof providerInUse>>>;

/**
 * Ask Stripe Tax about one customer and keep the answer. A customer without a country is not asked
 * (the engine charges no tax).
 */
async function askAbout(db: Db, ask: Ask, customer: CustomerRow, now: Date): Promise<ProvidedTax | null> {
  if (!customer.address.country?.trim()) return null;
  const place = taxPlaceKey(customer);
  const decision = await ask({ customerId: customer.id, currency: customer.currency, address: customer.address, taxIds: customer.taxIds, taxExempt: customer.taxExempt, at: now, placeKey: place });
  const provided: ProvidedTax = { provider: "stripe_tax", place, decidedAt: now.toISOString(), decision };
  await db.update(customers).set({ providedTax: provided }).where(eq(customers.id, customer.id));
  return provided;
}

/**
 * The outbox's handler for customer.created / customer.updated: ask again when the place changed.
 * Nothing when Tally decides tax itself or the gateway is the sandbox.
 */
export async function askTaxProviderIfStale(db: Db, customerId: string, now: Date): Promise<void> {
  const ask = await providerInUse(db);
  if (!ask) return;
  const [customer] = await db.select().from(customers).where(eq(customers.id, customerId));
  if (customer && !providedTaxHolds(customer, now)) await askAbout(db, ask, customer, now);
}

/**
 * The daily refresh: every customer with a subscription whose decision is missing, stale or for
 * another place is asked again, in pages, one failure not stopping the rest. Returns the counts.
 */
export async function refreshProvidedTax(db: Db, now: Date, pageSize = 500): Promise<{ asked: number; failed: number }> {
  const ask = await providerInUse(db);
  if (!ask) return { asked: 0, failed: 0 };
  let asked = 0;
  let failed = 0;
  let after = "";
  for (;;) {
    const page = await db
      .select()
      .from(customers)
      .where(and(gt(customers.id, after), inArray(customers.currentSubscriptionStatus, ["active", "trialing", "past_due", "paused", "unpaid"])))
      .orderBy(asc(customers.id))
      .limit(pageSize);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    for (const customer of page) {
      if (providedTaxHolds(customer, now) || !customer.address.country?.trim()) continue;
      try {
        await askAbout(db, ask, customer, now);
        asked += 1;
      } catch {
        failed += 1;
      }
    }
  }
  return { asked, failed };
}
