import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invoiceLines, invoices } from "@/db/schema";
import type { TaxAmount } from "@/lib/billing/types";
import { newId, randomToken } from "@/lib/ids";

export const at = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);

/**
 * An invoice finalized at `finalizedAt` with these lines, written as finalization writes it: the
 * draft and its lines first, then the finalizing update (finalized invoices refuse new lines).
 */
export async function finalizedInvoice(
  db: Db,
  customerId: string,
  currency: string,
  finalizedAt: Date,
  lines: { amount: number; discount?: number; tax?: TaxAmount; period?: [string, string] }[],
  status: "open" | "paid",
): Promise<{ id: string; lineIds: string[]; total: number }> {
  const id = newId("invoice");
  const subtotal = lines.reduce((s, l) => s + l.amount, 0);
  const discountTotal = lines.reduce((s, l) => s + (l.discount ?? 0), 0);
  const tax = lines.reduce((s, l) => s + (l.tax?.amount ?? 0), 0);
  const exclusive = lines.reduce((s, l) => s + (l.tax && !l.tax.inclusive ? l.tax.amount : 0), 0);
  const total = subtotal - discountTotal + exclusive;
  await db.insert(invoices).values({
    id,
    customerId,
    status: "draft",
    billingReason: "manual",
    currency,
    subtotal,
    discountTotal,
    tax,
    total,
    amountDue: total,
    amountRemaining: total,
    collectionMethod: "charge_automatically",
    hostedToken: randomToken(24),
    createdAt: finalizedAt,
  });
  const lineIds = lines.map(() => newId("invoiceLine"));
  await db.insert(invoiceLines).values(
    lines.map((l, i) => ({
      id: lineIds[i]!,
      invoiceId: id,
      position: i,
      description: `line ${i}`,
      amount: l.amount,
      quantity: 1,
      discountAmount: l.discount ?? 0,
      taxAmounts: l.tax ? [l.tax] : [],
      periodStart: l.period ? at(l.period[0]) : null,
      periodEnd: l.period ? at(l.period[1]) : null,
    })),
  );
  await db
    .update(invoices)
    .set({ status, finalizedAt, number: `RV-${randomToken(8)}`, amountPaid: status === "paid" ? total : 0, amountRemaining: status === "paid" ? 0 : total })
    .where(eq(invoices.id, id));
  return { id, lineIds, total };
}

