import { createElement } from "react";
import { errorField, log } from "@/lib/observability/logger";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { findCustomer } from "@/db/queries/customers";
import { findInvoice } from "@/db/queries/invoices";
import { findReceipt, type ReceiptRow } from "@/db/queries/receipts";
import { emails, receiptSends } from "@/db/schema";
import { ReceiptEmail, receiptSubject } from "@/emails/receipt";
import { renderEmail } from "@/emails/render";
import { sendEmail } from "@/lib/email/transport";
import type { OutboxEvent } from "@/lib/events/outbox";
import { newId } from "@/lib/ids";
import { customerFormatter } from "@/lib/services/readers/formatters";
import { issueReceipt } from "../receipts/issue-receipt";
import { receiptPdf } from "@/lib/documents/pdf-response";
import { customerDate, hostedInvoiceUrl } from "./facts";

export const RECEIPT_TEMPLATE = "receipt";

/**
 * A payment succeeded (invoice.paid naming a payment, or a manual payment recorded): its receipt is
 * issued once and emailed at once. Should the email fail here, the receipt.created event the issue
 * wrote sends it: both send under that event's id, so the customer gets one email.
 */
export async function issueAndSendReceipt(db: Db, event: OutboxEvent): Promise<void> {
  const paymentId = event.payload.payment;
  if (typeof paymentId !== "string") return;
  const issued = await issueReceipt(db, paymentId, new Date());
  if (!issued?.createdEvent) return;
  await sendReceiptEmail(db, issued.receipt, issued.createdEvent, "issued").catch((error: unknown) => {
    log.warn({ receipt_id: issued.receipt.id, ...errorField(error) }, "emailing a receipt failed; its receipt.created event sends it");
  });
}

/** receipt.created / receipt.resent → the receipt email with its PDF, once per event. */
export async function sendReceiptForEvent(db: Db, event: OutboxEvent): Promise<void> {
  const receipt = event.entityId ? await findReceipt(db, event.entityId) : undefined;
  if (receipt) await sendReceiptEmail(db, receipt, event.id, event.type === "receipt.resent" ? "resent" : "issued");
}

/**
 * The receipt email, with the receipt's PDF attached, under `eventId` (one email per event and
 * recipient), and its line in the receipt's send log.
 */
export async function sendReceiptEmail(db: Db, receipt: ReceiptRow, eventId: string, reason: "issued" | "resent"): Promise<void> {
  const [invoice, customer] = await Promise.all([findInvoice(db, receipt.invoiceId), findCustomer(db, receipt.customerId)]);
  if (!invoice || !customer) return;
  const fmt = await customerFormatter(db, customer);
  const money = (n: number) => fmt.money(n, receipt.currency);
  const taxLines = invoice.lines.flatMap((l) => l.taxAmounts);
  const inclusive = taxLines.every((t) => t.inclusive);
  const props = {
    customerName: customer.name,
    receiptNumber: receipt.number,
    invoiceNumber: invoice.number ?? invoice.id,
    amountPaid: money(receipt.amount),
    paidOn: customerDate(fmt, customer, receipt.paidAt),
    method: receipt.methodLabel,
    lines: invoice.lines.map((l) => ({ description: l.description, amount: money(l.amount) })),
    tax: invoice.tax > 0 ? { label: `${taxLines[0]?.jurisdiction ?? "Tax"}${inclusive ? " (included)" : ""}`, amount: money(invoice.tax) } : null,
    invoiceUrl: hostedInvoiceUrl(invoice.hostedToken),
  };
  const [{ html, text }, pdf] = await Promise.all([renderEmail(createElement(ReceiptEmail, props)), receiptPdf(db, receipt)]);
  await sendEmail(db, {
    to: customer.email,
    subject: receiptSubject(props),
    html,
    text,
    template: RECEIPT_TEMPLATE,
    eventId,
    customerId: customer.id,
    attachments: [{ filename: pdf.filename, contentType: "application/pdf", content: pdf.bytes }],
  });
  const [email] = await db
    .select({ id: emails.id })
    .from(emails)
    .where(and(eq(emails.eventId, eventId), eq(emails.template, RECEIPT_TEMPLATE), eq(emails.to, customer.email)));
  await db.insert(receiptSends).values({ id: newId("receiptSend"), receiptId: receipt.id, eventId, emailId: email?.id ?? null, to: customer.email, reason }).onConflictDoNothing();
}
