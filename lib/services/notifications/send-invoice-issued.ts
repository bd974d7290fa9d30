import type { Db } from "@/db/client";
import { findCustomer } from "@/db/queries/customers";
import { findInvoice } from "@/db/queries/invoices";
import { InvoiceIssuedEmail, invoiceIssuedSubject } from "@/emails/invoice-issued";
import type { OutboxEvent } from "@/lib/events/outbox";
import { customerDate, hostedInvoiceUrl, sendTemplate } from "./facts";
import { customerFormatter } from "@/lib/services/readers/formatters";

/**
 * invoice.finalized → the invoice email with a pay link to the hosted page, for a send_invoice
 * invoice still open when the event is handled (charge_automatically invoices are charged; a
 * failure sends "payment failed").
 */
export async function sendInvoiceIssued(db: Db, event: OutboxEvent): Promise<void> {
  const invoice = await findInvoice(db, String(event.payload.invoice));
  if (!invoice || invoice.status !== "open" || invoice.collectionMethod !== "send_invoice") return;
  await sendInvoiceEmail(db, invoice.id, event.id);
}

/**
 * The invoice email with its pay link, for an invoice still owed (open or uncollectible), once per
 * event: also what staff resending an invoice sends (event invoice.resent), whatever its collection.
 */
export async function sendInvoiceEmail(db: Db, invoiceId: string, eventId: string): Promise<void> {
  const invoice = await findInvoice(db, invoiceId);
  if (!invoice || (invoice.status !== "open" && invoice.status !== "uncollectible") || !invoice.number) return;
  const customer = await findCustomer(db, invoice.customerId);
  if (!customer) return;
  const fmt = await customerFormatter(db, customer);
  const money = (n: number) => fmt.money(n, invoice.currency);
  const taxLines = invoice.lines.flatMap((l) => l.taxAmounts);
  const inclusive = taxLines.every((t) => t.inclusive);
  const props = {
    customerName: customer.name,
    invoiceNumber: invoice.number,
    lines: invoice.lines.map((l) => ({ description: l.description, amount: money(l.amount) })),
    tax: invoice.tax > 0 ? { label: `${taxLines[0]?.jurisdiction ?? "Tax"}${inclusive ? " (included)" : ""}`, amount: money(invoice.tax) } : null,
    amountDue: money(invoice.amountRemaining),
    dueOn: invoice.dueDate ? customerDate(fmt, customer, invoice.dueDate) : null,
    invoiceUrl: hostedInvoiceUrl(invoice.hostedToken),
  };
  await sendTemplate(db, { component: InvoiceIssuedEmail, props, subject: invoiceIssuedSubject(props), template: "invoice-issued", eventId, customer });
}
