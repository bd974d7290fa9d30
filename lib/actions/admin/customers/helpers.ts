import { eq } from "drizzle-orm";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { invoices, payments, receipts, subscriptions } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import { nudgeJob } from "@/lib/jobs/local-runner";
import { MoneyError, parseMajor } from "@/lib/money";

/** Every console action names the customer whose page it came from; the row it touches must be theirs. */
export const customerField = z.string().min(1).max(100);
export const idField = z.string().min(1).max(100);

type Owned = "invoice" | "payment" | "receipt" | "subscription";
const tables = { invoice: invoices, payment: payments, receipt: receipts, subscription: subscriptions } as const;

export async function assertOwned(tx: Executor, kind: Owned, id: string, customerId: string): Promise<void> {
  const table = tables[kind];
  const [row] = await tx.select({ customerId: table.customerId }).from(table).where(eq(table.id, id));
  if (!row || row.customerId !== customerId) throw notFound(kind, kind);
}

/** "12.50" in the row's currency → minor units, with the mistake explained next to the field. */
export function parseAmount(input: string, currency: string, param = "amount"): number {
  try {
    const minor = parseMajor(input.trim(), currency, param);
    if (minor <= 0) throw new AppError("out_of_range", { param, userMessage: "Enter an amount greater than zero." });
    return minor;
  } catch (error) {
    if (error instanceof MoneyError) {
      throw new AppError("validation_failed", { param, userMessage: `Enter an amount like ${currency === "jpy" ? "80" : "12.50"} (${currency.toUpperCase()}).` });
    }
    throw error;
  }
}

/** After a change: the page re-reads, and emails or webhooks the change caused go out now. */
export function refreshCustomer(customerId: string): void {
  revalidatePath(`/admin/customers/${customerId}`);
  nudgeJob("outbox.dispatch");
}
