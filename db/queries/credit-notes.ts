import { asc, desc, eq, inArray, type SQL } from "drizzle-orm";
import type { Executor } from "../client";
import { creditNoteLines, creditNotes, invoiceLines } from "../schema";

export type CreditNoteRow = typeof creditNotes.$inferSelect;
export type CreditNoteLineRow = typeof creditNoteLines.$inferSelect;
export type CreditNoteWithLines = CreditNoteRow & { lines: CreditNoteLineRow[] };

/** Credit note lines in the order of the invoice lines they credit. */
async function linesWhere(tx: Executor, where: SQL): Promise<CreditNoteLineRow[]> {
  const rows = await tx
    .select({ line: creditNoteLines })
    .from(creditNoteLines)
    .leftJoin(invoiceLines, eq(invoiceLines.id, creditNoteLines.invoiceLineId))
    .where(where)
    .orderBy(asc(invoiceLines.position), asc(creditNoteLines.id));
  return rows.map((r) => r.line);
}

export async function findCreditNote(tx: Executor, id: string): Promise<CreditNoteWithLines | undefined> {
  const [row] = await tx.select().from(creditNotes).where(eq(creditNotes.id, id));
  if (!row) return undefined;
  return { ...row, lines: await linesWhere(tx, eq(creditNoteLines.creditNoteId, id)) };
}

/** Credit notes with their lines, in the order given. */
export async function withLines(tx: Executor, rows: CreditNoteRow[]): Promise<CreditNoteWithLines[]> {
  if (rows.length === 0) return [];
  const lines = await linesWhere(tx, inArray(creditNoteLines.creditNoteId, rows.map((r) => r.id)));
  return rows.map((row) => ({ ...row, lines: lines.filter((l) => l.creditNoteId === row.id) }));
}

/** Every credit note issued against an invoice, oldest first, with lines. */
export async function listInvoiceCreditNotes(tx: Executor, invoiceId: string): Promise<CreditNoteWithLines[]> {
  const rows = await tx.select().from(creditNotes).where(eq(creditNotes.invoiceId, invoiceId)).orderBy(asc(creditNotes.createdAt), asc(creditNotes.number));
  return withLines(tx, rows);
}

/** A customer's credit notes, newest first (for the console). */
export async function listCustomerCreditNotes(tx: Executor, customerId: string, limit = 100): Promise<CreditNoteRow[]> {
  return tx.select().from(creditNotes).where(eq(creditNotes.customerId, customerId)).orderBy(desc(creditNotes.createdAt), desc(creditNotes.id)).limit(limit);
}
