import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { NUMBER_SERIES_PREFIX } from "@/db/queries/invoices";
import { invoiceNumberSeries } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import type { ServiceContext } from "../context";

export const numberSeriesLabels: Record<string, string> = { default: "Invoices", credit_note: "Credit notes", receipt: "Receipts" };

/** Each series with its prefix and the next number it will issue. */
export async function listNumberSeries(tx: Executor): Promise<{ series: string; prefix: string; nextNumber: number }[]> {
  const rows = await tx.select().from(invoiceNumberSeries).orderBy(asc(invoiceNumberSeries.series));
  const known = Object.entries(NUMBER_SERIES_PREFIX).map(([series, prefix]) => rows.find((r) => r.series === series) ?? { series, prefix, nextNumber: 1 });
  return [...known, ...rows.filter((r) => !(r.series in NUMBER_SERIES_PREFIX))];
}

/**
 * A new prefix applies to numbers issued from now on; the counter carries on, so the sequence
 * stays gap-free and issued documents keep their numbers.
 */
export async function setNumberPrefix(ctx: ServiceContext, input: { series: string; prefix: string }): Promise<void> {
  const prefix = input.prefix.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9-/]{0,11}$/.test(prefix)) {
    throw new AppError("validation_failed", { param: `prefix_${input.series}`, userMessage: "Use 1–12 letters, digits, '-' or '/', e.g. INV- or 2027/." });
  }
  if (!(input.series in NUMBER_SERIES_PREFIX)) throw new AppError("not_found", { userMessage: `No number series ${input.series}.` });
  await ctx.db.transaction(async (tx) => {
    await tx.insert(invoiceNumberSeries).values({ series: input.series, prefix: NUMBER_SERIES_PREFIX[input.series]!, nextNumber: 1 }).onConflictDoNothing();
    const [before] = await tx.select().from(invoiceNumberSeries).where(eq(invoiceNumberSeries.series, input.series)).for("update");
    if (before?.prefix === prefix) return;
    const others = await tx.select().from(invoiceNumberSeries);
    if (others.some((o) => o.series !== input.series && o.prefix === prefix)) {
      throw new AppError("validation_failed", { param: `prefix_${input.series}`, userMessage: "Another series already uses this prefix; numbers would collide." });
    }
    await tx.update(invoiceNumberSeries).set({ prefix }).where(eq(invoiceNumberSeries.series, input.series));
    await recordAudit(tx, ctx.actor, { action: "number_series.prefix_changed", entityType: "number_series", entityId: input.series, before: { prefix: before?.prefix }, after: { prefix } }, ctx.now, ctx.requestId);
  });
}
