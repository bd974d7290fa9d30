import { createElement, type ReactElement } from "react";
import type { Db } from "@/db/client";
import { findCustomer } from "@/db/queries/customers";
import { findInvoice } from "@/db/queries/invoices";
import { AccountRestoredEmail, accountRestoredSubject } from "@/emails/account-restored";
import { DunningBlockedEmail, dunningBlockedSubject } from "@/emails/dunning-blocked";
import { DunningReminderEmail, dunningReminderSubject, type DunningEmailProps } from "@/emails/dunning-reminder";
import { DunningWarningEmail, dunningWarningSubject } from "@/emails/dunning-warning";
import { renderEmail } from "@/emails/render";
import { sendEmail } from "@/lib/email/transport";
import { appUrl } from "@/lib/env";
import type { OutboxEvent } from "@/lib/events/outbox";
import { customerFormatter } from "@/lib/services/readers/formatters";

const templates = {
  reminder: { template: "dunning-reminder", subject: dunningReminderSubject, component: DunningReminderEmail },
  warning: { template: "dunning-warning", subject: dunningWarningSubject, component: DunningWarningEmail },
  blocked: { template: "dunning-blocked", subject: dunningBlockedSubject, component: DunningBlockedEmail },
} as const;

/**
 * customer.dunning.<reminder|warning|blocked> → that stage's email, once per (invoice, stage): the
 * email's event id is `dunning:<invoice>:<stage>`. Not sent when the invoice was settled first.
 */
export async function sendDunningEmail(db: Db, event: OutboxEvent): Promise<void> {
  const stage = String(event.payload.stage) as keyof typeof templates;
  const spec = templates[stage];
  if (!spec) return;
  const invoice = await findInvoice(db, String(event.payload.invoice));
  if (!invoice || (invoice.status !== "open" && invoice.status !== "uncollectible") || !invoice.number) return;
  const customer = await findCustomer(db, invoice.customerId);
  if (!customer) return;
  const fmt = await customerFormatter(db, customer);
  const blocksAt = typeof event.payload.blocks_at === "string" ? new Date(event.payload.blocks_at) : null;
  const props: DunningEmailProps = {
    customerName: customer.name,
    invoiceNumber: invoice.number,
    amount: fmt.money(invoice.amountRemaining, invoice.currency),
    blockedOn: stage === "blocked" || !blocksAt ? null : fmt.date(blocksAt, customer.timezone),
    updateCardUrl: `${appUrl()}/payment-methods/add`,
  };
  const { html, text } = await renderEmail(createElement(spec.component, props) as ReactElement);
  await sendEmail(db, { to: customer.email, subject: spec.subject(props), html, text, template: spec.template, eventId: `dunning:${invoice.id}:${stage}`, customerId: customer.id });
}

/** customer.dunning.restored → the "account restored" email, once per restoration. */
export async function sendAccountRestored(db: Db, event: OutboxEvent): Promise<void> {
  const customer = event.customerId ? await findCustomer(db, event.customerId) : null;
  if (!customer) return;
  const fmt = await customerFormatter(db, customer);
  const invoice = typeof event.payload.invoice === "string" ? await findInvoice(db, event.payload.invoice) : null;
  const props = {
    customerName: customer.name,
    invoiceNumber: invoice?.number ?? null,
    amount: invoice ? fmt.money(invoice.amountPaid, invoice.currency) : null,
  };
  const { html, text } = await renderEmail(createElement(AccountRestoredEmail, props));
  await sendEmail(db, { to: customer.email, subject: accountRestoredSubject(), html, text, template: "account-restored", eventId: `dunning:${invoice?.id ?? event.id}:restored`, customerId: customer.id });
}
