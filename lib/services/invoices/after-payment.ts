import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { subscriptions } from "@/db/schema";
import type { InvoiceRow } from "@/db/queries/invoices";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import type { Actor } from "@/lib/actor";
import { changeSubscriptionStatus } from "../subscriptions/change-status";

/** A paid invoice brings its subscription back: incomplete, past_due or unpaid becomes active. */
export function reactivatedByPayment(status: SubscriptionRow["status"]): boolean {
  return status === "incomplete" || status === "past_due" || status === "unpaid";
}

/**
 * reactivatedByPayment for an invoice paid in `tx` (a charge result plans it with its payment:
 * planChargeResults). Returns the subscription (changed or not), or null for an invoice without one.
 */
export async function activateSubscriptionOnPayment(tx: Executor, actor: Actor, invoice: InvoiceRow, asOf: Date): Promise<SubscriptionRow | null> {
  if (!invoice.subscriptionId) return null;
  const [sub] = await tx.select().from(subscriptions).where(eq(subscriptions.id, invoice.subscriptionId)).for("update");
  if (sub && reactivatedByPayment(sub.status)) {
    return changeSubscriptionStatus(tx, actor, sub, "active", "invoice paid", asOf);
  }
  return sub ?? null;
}
