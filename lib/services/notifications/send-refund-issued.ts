import type { Db } from "@/db/client";
import { findCreditNote } from "@/db/queries/credit-notes";
import { findCustomer } from "@/db/queries/customers";
import { findInvoice } from "@/db/queries/invoices";
import { payments } from "@/db/schema";
import { RefundIssuedEmail, refundIssuedSubject } from "@/emails/refund-issued";
import type { OutboxEvent } from "@/lib/events/outbox";
import { eq } from "drizzle-orm";
import { customerDate, findCardLabel, hostedInvoiceUrl, sendTemplate } from "./facts";
import { customerFormatter } from "@/lib/services/readers/formatters";

/** credit_note.created with refunds in the payload → "refund issued": the amount, the card, the credit note. */
export async function sendRefundIssued(db: Db, event: OutboxEvent): Promise<void> {
  const refunds = Array.isArray(event.payload.refunds) ? (event.payload.refunds as { payment?: unknown; amount?: unknown }[]) : [];
  const amount = refunds.reduce((sum, r) => sum + (typeof r.amount === "number" ? r.amount : 0), 0);
  if (amount <= 0 || typeof event.payload.credit_note !== "string") return;
  const note = await findCreditNote(db, event.payload.credit_note);
  if (!note || note.status !== "issued") return;
  const [invoice, customer] = await Promise.all([findInvoice(db, note.invoiceId), findCustomer(db, note.customerId)]);
  if (!invoice || !customer) return;
  const fmt = await customerFormatter(db, customer);
  const paymentId = refunds.find((r) => typeof r.payment === "string")?.payment;
  const [payment] = typeof paymentId === "string" ? await db.select().from(payments).where(eq(payments.id, paymentId)) : [];
  const props = {
    customerName: customer.name,
    amount: fmt.money(amount, note.currency),
    cardLabel: await findCardLabel(db, payment?.paymentMethodId),
    creditNoteNumber: note.number,
    invoiceNumber: invoice.number ?? invoice.id,
    refundedOn: customerDate(fmt, customer, note.createdAt),
    invoiceUrl: hostedInvoiceUrl(invoice.hostedToken),
  };
  await sendTemplate(db, { component: RefundIssuedEmail, props, subject: refundIssuedSubject(props), template: "refund-issued", eventId: event.id, customer });
}
