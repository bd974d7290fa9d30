import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Executor } from "../client";
import { emailAttachments, invoices, receipts, receiptSends } from "../schema";

export type ReceiptRow = typeof receipts.$inferSelect;
export type ReceiptSendRow = typeof receiptSends.$inferSelect;
export type EmailAttachmentRow = typeof emailAttachments.$inferSelect;

export async function findReceipt(tx: Executor, id: string): Promise<ReceiptRow | undefined> {
  const [row] = await tx.select().from(receipts).where(eq(receipts.id, id));
  return row;
}

export async function findReceiptForPayment(tx: Executor, paymentId: string): Promise<ReceiptRow | undefined> {
  const [row] = await tx.select().from(receipts).where(eq(receipts.paymentId, paymentId));
  return row;
}

/** A receipt with the number of the invoice it paid, as lists show it. */
export type ReceiptListRow = ReceiptRow & { invoiceNumber: string | null };

/** A customer's receipts, newest first; `startingAfter` (a receipt of theirs) continues a list. */
export async function listCustomerReceipts(tx: Executor, customerId: string, options: { limit?: number; startingAfter?: ReceiptRow } = {}): Promise<ReceiptListRow[]> {
  const after = options.startingAfter;
  const cursor = after ? or(lt(receipts.createdAt, after.createdAt), and(eq(receipts.createdAt, after.createdAt), lt(receipts.id, after.id))) : undefined;
  const rows = await tx
    .select({ receipt: receipts, invoiceNumber: invoices.number })
    .from(receipts)
    .leftJoin(invoices, eq(invoices.id, receipts.invoiceId))
    .where(and(eq(receipts.customerId, customerId), cursor))
    .orderBy(desc(receipts.createdAt), desc(receipts.id))
    .limit(options.limit ?? 100);
  return rows.map((r) => ({ ...r.receipt, invoiceNumber: r.invoiceNumber }));
}

/** Each email of a customer's receipts, newest first (the console's list shows when each was sent). */
export async function listCustomerReceiptSends(tx: Executor, customerId: string): Promise<ReceiptSendRow[]> {
  return tx
    .select({ send: receiptSends })
    .from(receiptSends)
    .innerJoin(receipts, eq(receipts.id, receiptSends.receiptId))
    .where(eq(receipts.customerId, customerId))
    .orderBy(desc(receiptSends.createdAt))
    .then((rows) => rows.map((r) => r.send));
}

/** An email's attachments, in order, without their bytes. */
export async function listEmailAttachments(tx: Executor, emailId: string): Promise<Omit<EmailAttachmentRow, "content">[]> {
  return tx
    .select({ emailId: emailAttachments.emailId, position: emailAttachments.position, filename: emailAttachments.filename, contentType: emailAttachments.contentType, size: emailAttachments.size })
    .from(emailAttachments)
    .where(eq(emailAttachments.emailId, emailId))
    .orderBy(emailAttachments.position);
}

export async function findEmailAttachment(tx: Executor, emailId: string, position: number): Promise<EmailAttachmentRow | undefined> {
  const [row] = await tx.select().from(emailAttachments).where(and(eq(emailAttachments.emailId, emailId), eq(emailAttachments.position, position)));
  return row;
}
