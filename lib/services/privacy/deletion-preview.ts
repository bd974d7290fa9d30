import { loadTaxSettings } from "../tax/tax-settings";
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { invoices } from "@/db/schema";
import { findCustomer, listPaymentMethods } from "@/db/queries/customers";
import { listLiveSubscriptions } from "@/db/queries/subscriptions";
import { cancellationCredit } from "@/lib/billing/subscriptions/change";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { previewInvoice } from "../invoices/plan-invoice";
import { currentPeriodInvoice } from "../subscriptions/period-invoice";
import { withSubscription } from "../subscriptions/with-subscription";
import { retentionEnd, retentionYears } from "./retention";

export interface SubscriptionOnDeletion {
  id: string;
  name: string;
  status: string;
  currency: string;
  /** Unused time given back: to the card that paid the period, or (pending changes settled on a final invoice) to the balance. */
  refund: number;
  refundTo: "card" | "balance" | null;
  /** Changes not billed yet, charged on a final invoice. */
  finalCharge: number;
}

export interface DeletionPreview {
  subscriptions: SubscriptionOnDeletion[];
  openInvoices: { id: string; number: string | null; amountRemaining: number; currency: string }[];
  creditBalance: number;
  currency: string;
  cards: number;
  retentionYears: number;
  retainUntil: Date;
}

/**
 * What deleting the account would do now, read without locks or writes, mirroring deleteCustomer:
 * each live subscription is canceled now with proration (cancel service), so a paid period's
 * unused time comes back (to the card, or to the balance when pending changes are settled on a
 * final invoice); open invoices stay owed; the account credit is not paid out.
 */
export async function previewDeletion(ctx: ServiceContext, customerId: string): Promise<DeletionPreview> {
  const customer = await findCustomer(ctx.db, customerId);
  if (!customer) throw notFound("customer", "id");
  const subscriptions: SubscriptionOnDeletion[] = [];
  for (const sub of await listLiveSubscriptions(ctx.db, customerId)) {
    const name = sub.items.map((i) => i.plan.name).join(", ") || "Subscription";
    const effect = await withSubscription(
      ctx,
      sub.id,
      async ({ tx, row, customer: c, state, now }) => {
        const periodInvoice = await currentPeriodInvoice(tx, row.id, state.period.start);
        const lines = row.status !== "incomplete" && periodInvoice?.status === "paid" ? cancellationCredit(state, now) : [];
        const discount = periodInvoice?.couponId && periodInvoice.couponId === state.discount?.terms.couponId ? state.discount.terms : null;
        const tax = await loadTaxSettings(tx);
        if (state.pendingLines.length > 0) {
          const draft = previewInvoice(c, state.currency, [...state.pendingLines, ...lines], discount, now, tax);
          return { refund: draft.excessCredit, refundTo: draft.excessCredit > 0 ? ("balance" as const) : null, finalCharge: draft.amountDue };
        }
        const refund = lines.length > 0 ? previewInvoice({ ...c, creditBalance: 0 }, state.currency, lines, discount, now, tax).excessCredit : 0;
        return { refund, refundTo: refund > 0 ? ("card" as const) : null, finalCharge: 0 };
      },
      { lock: false },
    );
    subscriptions.push({ id: sub.id, name, status: sub.status, currency: sub.currency, ...effect });
  }
  const open = await ctx.db
    .select({ id: invoices.id, number: invoices.number, amountRemaining: invoices.amountRemaining, currency: invoices.currency })
    .from(invoices)
    .where(and(eq(invoices.customerId, customerId), inArray(invoices.status, ["open", "uncollectible"]), gt(invoices.amountRemaining, 0)))
    .orderBy(asc(invoices.createdAt));
  const cards = (await listPaymentMethods(ctx.db, customerId)).length;
  const years = await retentionYears(ctx.db);
  return { subscriptions, openInvoices: open, creditBalance: customer.creditBalance, currency: customer.currency, cards, retentionYears: years, retainUntil: retentionEnd(ctx.now, years) };
}
