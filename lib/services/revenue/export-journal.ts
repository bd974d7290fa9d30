import { recordAudit } from "@/lib/audit/record";
import { journalLines, journalTotals } from "@/lib/billing/revenue/journal";
import { renderJournal, type CurrencyJournal, type JournalFormat } from "@/lib/billing/revenue/journal-formats";
import { modeOf } from "../api-costs/providers";
import type { ServiceContext } from "../context";
import { monthMovements } from "./month-movements";

export interface JournalExport {
  filename: string;
  body: string;
  journals: CurrencyJournal[];
}

/**
 * A UTC month's summary journals (one per currency, balanced) in the asked format. The audit
 * entry — who, the month, the format, each currency's line count and totals — is written before
 * the file is returned, so no export leaves without one.
 */
export async function exportJournal(ctx: ServiceContext, query: { month: string; format: JournalFormat }): Promise<JournalExport> {
  const months = await monthMovements(ctx.db, modeOf(ctx), query.month);
  const journals: CurrencyJournal[] = [...months.values()]
    .sort((a, b) => a.currency.localeCompare(b.currency))
    .map((m) => ({ month: query.month, currency: m.currency, lines: journalLines(m.movements) }))
    .filter((j) => j.lines.length > 0);
  const summary = journals.map((j) => ({ currency: j.currency, lines: j.lines.length, ...journalTotals(j.lines) }));
  await recordAudit(ctx.db, ctx.actor, { action: "journal.exported", entityType: "journal", entityId: query.month, after: { month: query.month, format: query.format, journals: summary } }, ctx.now, ctx.requestId);
  return { filename: `tally-journal-${query.month}-${query.format}.csv`, body: renderJournal(query.format, journals), journals };
}
