import { z } from "zod";
import { journalFormats } from "@/lib/billing/revenue/journal-formats";
import { defineOperation } from "../operation";

const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: "must be a month, YYYY-MM" })
  .meta({ example: "2026-12" });

const minor = (description: string) => z.number().int().meta({ description });

export const revenueResource = z
  .object({
    object: z.literal("revenue_waterfall"),
    month: z.string().meta({ example: "2026-12" }),
    currency: z.string(),
    billed: minor("Net (ex tax, after discounts) of the invoices finalized in the month, less the credit notes issued and what voids cancelled in it."),
    recognized: minor("Revenue recognised in the month: each line's net spread evenly over the UTC days of its service period (usage over the period used, one-offs on the invoice day), never before the invoice is finalized; reversals beyond what was still unserved come off here."),
    deferred_opening: minor("Billed but not yet recognised at the month's start."),
    deferred_closing: minor("Billed but not yet recognised at the month's end: deferred_opening + billed − recognized."),
    refunded: minor("Net of the credit notes with outcome refund issued in the month (already inside billed)."),
  })
  .meta({ id: "RevenueWaterfall" });

export const revenueWaterfallOp = defineOperation({
  method: "GET",
  path: "/analytics/revenue",
  operationId: "revenueWaterfall",
  summary: "A month's revenue recognition waterfall",
  description:
    "For the UTC `month` in `currency` (default: the install's default currency), in minor units net of tax and discounts: deferred_opening + billed − recognized = deferred_closing. A fully served line recognises exactly its net amount (even daily allocation); a credit note or void first cancels what is not yet served and reverses the rest in its own month.",
  tags: ["Analytics"],
  query: z.object({ month, currency: z.string().regex(/^[A-Za-z]{3}$/, { message: "must be a three-letter ISO 4217 code" }).optional().meta({ example: "aud" }) }),
  response: revenueResource,
});

export const journalExportOp = defineOperation({
  method: "GET",
  path: "/exports/journal",
  operationId: "exportJournal",
  summary: "A month's accounting journal as CSV",
  description:
    "One summary journal per currency for the UTC `month`, dated its last day, balanced (debits = credits): accounts receivable, deferred revenue, revenue, tax payable, customer credit balances, refunds payable, gateway clearing and gateway fees. `format`: csv (Tally's columns), xero (manual journal import template), quickbooks (QuickBooks Online journal entry import). Every export is recorded in the audit log.",
  tags: ["Analytics"],
  query: z.object({ month, format: z.enum(journalFormats).default("csv") }),
  response: z.string().meta({ description: "CSV (RFC 4180, CRLF rows)." }),
  fileContentType: "text/csv; charset=utf-8",
});

export const revenueOperations = [revenueWaterfallOp, journalExportOp];
