import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { payments } from "@/db/schema";
import { findCustomer, findPaymentMethod, type CustomerRow, type PaymentMethodRow } from "@/db/queries/customers";
import { findInvoice, type InvoiceWithLines } from "@/db/queries/invoices";
import type { PaymentRow } from "@/db/queries/payments";
import type { Formatter } from "@/lib/format";
import { customerFormatter } from "@/lib/services/readers/formatters";

/** Where a payment that needed authentication stands, as the customer sees it. */
export type ConfirmationState =
  /** The bank is waiting for the customer: show the confirm step. */
  | "action_required"
  /** This payment went through. */
  | "confirmed"
  /** The payment was not completed (authentication failed, or declined afterwards). */
  | "failed"
  /** The gateway has not answered yet. */
  | "processing"
  /** The invoice no longer needs this payment: paid another way, voided or written off. */
  | "closed";

export interface PaymentSummary {
  payment: PaymentRow;
  invoice: InvoiceWithLines;
  customer: CustomerRow;
  method: PaymentMethodRow | null;
  state: ConfirmationState;
  /** "$10.00" */
  amount: string;
  /** "Includes $0.91 GST", or null without tax. */
  taxNote: string | null;
  /** "Visa ending 3184", when the card is known. */
  cardLabel: string | null;
  /** The customer's formatter (their locale), for the rest of the page. */
  fmt: Formatter;
}

export async function findPayment(tx: Executor, id: string): Promise<PaymentRow | undefined> {
  const [row] = await tx.select().from(payments).where(eq(payments.id, id));
  return row;
}

/** The payment, its invoice and customer, and what the customer can still do about it. */
export async function loadPaymentSummary(tx: Executor, paymentId: string): Promise<PaymentSummary | null> {
  const payment = await findPayment(tx, paymentId);
  if (!payment) return null;
  const [invoice, customer, method] = await Promise.all([
    findInvoice(tx, payment.invoiceId),
    findCustomer(tx, payment.customerId),
    payment.paymentMethodId ? findPaymentMethod(tx, payment.paymentMethodId) : Promise.resolve(undefined),
  ]);
  if (!invoice || !customer || invoice.status === "draft") return null;
  const fmt = await customerFormatter(tx, customer);
  return {
    payment,
    invoice,
    customer,
    method: method ?? null,
    state: confirmationState(payment, invoice),
    amount: fmt.money(payment.amount, payment.currency),
    taxNote: invoiceTaxNote(invoice, fmt),
    fmt,
    cardLabel: method ? `${method.brand.charAt(0).toUpperCase()}${method.brand.slice(1)} ending ${method.last4}` : null,
  };
}

export function confirmationState(payment: Pick<PaymentRow, "status">, invoice: Pick<InvoiceWithLines, "status">): ConfirmationState {
  if (payment.status === "succeeded") return "confirmed";
  if (payment.status === "failed") return "failed";
  if (invoice.status !== "open") return "closed";
  return payment.status === "requires_action" ? "action_required" : "processing";
}

/** The tax inside the amount, the way the invoice names it: "Includes $0.91 GST". */
export function invoiceTaxNote(invoice: Pick<InvoiceWithLines, "tax" | "currency" | "lines">, fmt: Formatter): string | null {
  if (invoice.tax <= 0) return null;
  const gst = invoice.lines.some((l) => l.taxAmounts.some((t) => t.jurisdiction.includes("GST")));
  return `Includes ${fmt.money(invoice.tax, invoice.currency)} ${gst ? "GST" : "tax"}`;
}
