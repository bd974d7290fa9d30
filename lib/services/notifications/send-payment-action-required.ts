import { createElement } from "react";
import type { Db } from "@/db/client";
import { PaymentActionRequiredEmail, paymentActionRequiredSubject } from "@/emails/payment-action-required";
import { renderWithSecretLink } from "@/lib/email/secret-link";
import { sendEmail } from "@/lib/email/transport";
import { appUrl } from "@/lib/env";
import type { OutboxEvent } from "@/lib/events/outbox";
import { confirmPath, issueConfirmToken } from "../payments/sca/confirm-token";
import { loadPaymentSummary } from "../payments/sca/payment-summary";
import { customerFormatter } from "@/lib/services/readers/formatters";

/**
 * invoice.payment_action_required → an email with a signed link to the confirm page, once per
 * payment (one event per payment). Nothing is sent when the payment no longer waits for the
 * customer by the time the email would go out (confirmed at checkout, or the invoice paid another way).
 */
export async function sendPaymentActionRequired(db: Db, event: OutboxEvent): Promise<void> {
  const summary = await loadPaymentSummary(db, String(event.payload.payment));
  if (!summary || summary.state !== "action_required" || !summary.invoice.number) return;
  const { customer, invoice, payment } = summary;
  const fmt = await customerFormatter(db, customer);
  // The link lives seven days from when it is sent: wall-clock time, like the page that checks it.
  const { token, expiresAt } = issueConfirmToken(payment.id, new Date());
  const props = {
    customerName: customer.name,
    invoiceNumber: invoice.number ?? "",
    amount: summary.amount,
    taxNote: summary.taxNote,
    cardLabel: summary.cardLabel,
    expiresOn: fmt.date(new Date(expiresAt.getTime() - 1), customer.timezone),
  };
  // The link pays with the customer's card: only the customer gets it (lib/email/secret-link.ts).
  const link = { url: `${appUrl()}${confirmPath(token)}`, secret: token, purpose: "payment confirmation link" };
  const bodies = await renderWithSecretLink((confirmUrl) => createElement(PaymentActionRequiredEmail, { ...props, confirmUrl }), link);
  await sendEmail(db, {
    to: customer.email,
    subject: paymentActionRequiredSubject(props),
    template: "payment-action-required",
    eventId: event.id,
    customerId: customer.id,
    ...bodies,
  });
}
