import { createElement } from "react";
import type { Db } from "@/db/client";
import { findCustomer } from "@/db/queries/customers";
import { findInvoice } from "@/db/queries/invoices";
import { InvoicePaidEmail, invoicePaidSubject } from "@/emails/invoice-paid";
import { renderEmail } from "@/emails/render";
import { sendEmail } from "@/lib/email/transport";
import { appUrl } from "@/lib/env";
import type { OutboxEvent } from "@/lib/events/outbox";
import { customerFormatter } from "@/lib/services/readers/formatters";

/** invoice.paid → the receipt email, once per event. */
export async function sendReceipt(db: Db, event: OutboxEvent): Promise<void> {
  const invoice = await findInvoice(db, String(event.payload.invoice));
  if (!invoice || invoice.status !== "paid" || !invoice.number) return;
  // Below the minimum charge and carried to the next invoice: nothing was received, so no receipt.
  if (invoice.carriedToBalance > 0 && invoice.amountPaid === 0) return;
  const customer = await findCustomer(db, invoice.customerId);
  if (!customer) return;
  const fmt = await customerFormatter(db, customer);
  const money = (n: number) => fmt.money(n, invoice.currency);
  const taxLines = invoice.lines.flatMap((l) => l.taxAmounts);
  const inclusive = taxLines.every((t) => t.inclusive);
  const props = {
    customerName: customer.name,
    invoiceNumber: invoice.number,
    amountPaid: money(invoice.amountPaid),
    paidOn: fmt.date(invoice.paidAt ?? invoice.createdAt, customer.timezone),
    lines: invoice.lines.map((l) => ({ description: l.description, amount: money(l.amount) })),
    tax: invoice.tax > 0 ? { label: `${taxLines[0]?.jurisdiction ?? "Tax"}${inclusive ? " (included)" : ""}`, amount: money(invoice.tax) } : null,
    invoiceUrl: `${appUrl()}/i/${invoice.hostedToken}`,
  };
  const { html, text } = await renderEmail(createElement(InvoicePaidEmail, props));
  await sendEmail(db, { to: customer.email, subject: invoicePaidSubject(props), html, text, template: "invoice-paid", eventId: event.id, customerId: customer.id });
}
