import { createElement } from "react";
import type { Db } from "@/db/client";
import { PaymentFailedEmail, paymentFailedSubject } from "@/emails/payment-failed";
import { renderEmail } from "@/emails/render";
import { sendEmail } from "@/lib/email/transport";
import { appUrl } from "@/lib/env";
import type { OutboxEvent } from "@/lib/events/outbox";
import { loadPaymentSummary } from "../payments/sca/payment-summary";
import { customerFormatter } from "@/lib/services/readers/formatters";

/**
 * invoice.payment_failed → the "payment failed" email, once per failed payment: a soft decline
 * says when we retry (the instant the failure scheduled, carried in the event), a hard decline or
 * a spent schedule asks for a new card. Not sent when the invoice was settled before it went out.
 */
export async function sendPaymentFailed(db: Db, event: OutboxEvent): Promise<void> {
  const summary = await loadPaymentSummary(db, String(event.payload.payment));
  if (!summary || summary.payment.status !== "failed" || summary.invoice.status !== "open" || !summary.invoice.number) return;
  const { customer, invoice, payment } = summary;
  const fmt = await customerFormatter(db, customer);
  const scheduled = "next_payment_attempt" in event.payload ? event.payload.next_payment_attempt : invoice.nextPaymentAttemptAt?.toISOString();
  const retryAt = typeof scheduled === "string" ? new Date(scheduled) : null;
  const props = {
    customerName: customer.name,
    invoiceNumber: invoice.number ?? "",
    amount: summary.amount,
    cardLabel: summary.cardLabel,
    reason: payment.failureMessage ?? "Your bank declined the payment.",
    retryOn: retryAt ? fmt.date(retryAt, customer.timezone) : null,
    updateCardUrl: `${appUrl()}/payment-methods/add`,
  };
  const { html, text } = await renderEmail(createElement(PaymentFailedEmail, props));
  await sendEmail(db, { to: customer.email, subject: paymentFailedSubject(props), html, text, template: "payment-failed", eventId: event.id, customerId: customer.id });
}
