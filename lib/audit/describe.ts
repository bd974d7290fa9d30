import { auditActionCatalog, isAuditAction } from "@/lib/events/catalog/audit-actions";
import { eventCatalog, isEventType } from "@/lib/events/catalog/events";
import { reasonLabels, withheldLabels, type Withheld } from "@/lib/billing/retention/offer-policy";
import type { CancellationReason, RetentionOfferTerms } from "@/lib/billing/retention/vocabulary";
import { brandName } from "@/lib/services/payment-methods/card-display";
import { diffAudit } from "./diff";
import type { Formatter } from "@/lib/format";

/**
 * Audit entries, events, emails and Stripe events in words, for people: who acted and what they did.
 * One home for the wording, shared by the audit log and the customer timeline; the catalog
 * (lib/events/catalog) names each action and event once with its sentence, and the sentences
 * below read an entry's data (amounts, cards, what changed).
 */

export type DescribedSource = "audit" | "event" | "email" | "webhook";

export interface DescribableActor {
  source: DescribedSource;
  type: string;
  id: string;
  /** Staff: their email; API keys: the key's name. */
  email: string | null;
  name: string | null;
}

export interface DescribableEntry {
  source: DescribedSource;
  action: string;
  before: unknown;
  after: unknown;
  invoice_number: string | null;
  credit_note_number: string | null;
  /** The currency amounts in the entry are in; null when the entry concerns no customer. */
  currency: string | null;
  entity_id: string | null;
  /** The payment the entry is about (its own, the one it names, or the one a refund went to), with its card. */
  payment?: DescribedPayment | null;
}

export interface DescribedPayment {
  amount: number;
  currency: string;
  /** "card", or how a manual payment was made ("bank_transfer", "cheque", "other"). */
  method: string | null;
  brand: string | null;
  last4: string | null;
}

/** "Visa …4242"; a manual payment by its method ("bank transfer"); null when neither is known. */
export function paymentMeans(payment: DescribedPayment): string | null {
  if (payment.brand && payment.last4) return `${brandName(payment.brand)} …${payment.last4}`;
  if (payment.method && payment.method !== "card") return payment.method.replace(/_/g, " ");
  return null;
}

/** Tally's own jobs, by the id they record as the actor. */
const systemJobs: Record<string, string> = {
  "billing-run": "the billing run",
  "card-updated": "card updates",
  cli: "the command line",
  dunning: "dunning",
  "payment-retries": "payment retries",
  reconciliation: "reconciliation",
  seed: "demo data",
  signup: "portal sign-up",
  api_keys: "API key setup",
  "payment-confirm-link": "a payment link",
  "portal-session": "a portal link",
};

export function describeActor(actor: DescribableActor): string {
  switch (actor.type) {
    case "user":
      return actor.email ? (actor.name ? `${actor.name} (${actor.email})` : actor.email) : `User ${actor.id}`;
    case "api_key":
      return actor.email ? `API key “${actor.email}”` : `API key ${actor.id}`;
    case "webhook":
      return actor.source === "webhook" ? "Stripe" : "Stripe (webhook)";
    case "system":
      if (actor.source === "event") return "Tally";
      if (actor.source === "email") return "Tally (email)";
      return `Tally (${systemJobs[actor.id] ?? actor.id.replace(/[-_]+/g, " ")})`;
    default:
      return actor.id;
  }
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const clip = (text: string, max = 140) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const roleNames: Record<string, string> = { subscriber: "subscriber", support: "support", billing_admin: "billing admin", finance_viewer: "finance viewer", super_admin: "super admin" };
const roleWords = (role: string) => roleNames[role] ?? role.replace(/_/g, " ");

/** "defaultPaymentMethodId" → "default payment method"; "tax_ids" → "tax ids". */
export function fieldWords(key: string): string {
  return key
    .replace(/Id$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase();
}

/** "payment_method.card_updated" → "Payment method card updated". */
export function humanize(action: string): string {
  const words = action.replace(/[._]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** One plain-language line per entry; anything not described here reads as its humanized name. */
export function describeEntry(row: DescribableEntry, fmt: Formatter): string {
  const before = obj(row.before);
  const after = obj(row.after);
  const money = (n: number | null) => (n === null || !row.currency ? "" : fmt.money(n, row.currency));
  const invoice = row.invoice_number ? `invoice ${row.invoice_number}` : "an invoice";
  const Invoice = row.invoice_number ? `Invoice ${row.invoice_number}` : "Invoice";
  const payment = row.payment ?? null;
  const paid = payment ? fmt.money(payment.amount, payment.currency) : null;
  const means = payment ? paymentMeans(payment) : null;
  const card = means && payment?.brand ? means : null;
  const onInvoice = row.invoice_number ? ` — invoice ${row.invoice_number}` : "";

  if (row.source === "email") return `Email sent: “${str(after.subject) ?? row.action}” to ${str(after.to) ?? "the customer"}${after.status === "failed" ? " (failed)" : ""}`;
  if (row.source === "webhook") {
    const object = obj(after.object);
    const amount = num(object.amount);
    const currency = str(object.currency);
    const suffix = amount !== null && currency ? ` (${fmt.money(amount, currency)})` : "";
    const state = after.error ? " — processing failed" : after.processed ? "" : " — not processed yet";
    return `Stripe: ${row.action}${suffix}${state}`;
  }
  if (row.source === "event") {
    const label = row.action.startsWith("invoice.") && row.invoice_number ? ` (${row.invoice_number})` : row.credit_note_number ? ` (${row.credit_note_number})` : "";
    return `Event: ${isEventType(row.action) ? eventCatalog[row.action].title : humanize(row.action).toLowerCase()}${label}`;
  }

  // An action no longer written reads as its name in words.
  if (!isAuditAction(row.action)) return humanize(row.action);
  // The sentences that read the entry's data; every other action says its catalog sentence.
  switch (row.action) {
    case "customer.updated": {
      // Only what changed, in words ("defaultPaymentMethodId" → "default payment method").
      const changed = diffAudit(row.before, row.after).map((c) => fieldWords(c.key));
      return `Profile updated${changed.length ? `: ${changed.slice(0, 4).join(", ")}${changed.length > 4 ? ` and ${changed.length - 4} more` : ""}` : ""}`;
    }
    case "customer.credit_granted": {
      const granted = (num(after.creditBalance) ?? 0) - (num(before.creditBalance) ?? 0);
      return `Granted ${money(granted)} credit${str(after.reason) ? `: ${clip(str(after.reason)!)}` : ""}`;
    }
    case "customer.note_added":
      return `Note: ${clip(str(after.body) ?? "")}`;
    case "customer.usage_reaggregated": {
      const repaired = (num(after.changed) ?? 0) + (num(after.added) ?? 0) + (num(after.removed) ?? 0);
      return `Usage rollups rebuilt from the raw events: ${repaired === 0 ? "nothing needed repair" : `${repaired} row${repaired === 1 ? "" : "s"} repaired`}`;
    }
    case "customer.escalated":
      return `Escalated to a billing admin: ${clip(str(after.body) ?? "")}`;
    case "customer.escalation_resolved":
      return `Escalation resolved: ${clip(str(after.body) ?? "")}`;
    case "subscription.cancel_scheduled":
      return `Cancellation scheduled for the end of the period${str(after.reason) ? ` (${clip(str(after.reason)!, 80)})` : ""}`;
    case "subscription.canceled_now": {
      const credited = num(after.credited) ?? 0;
      return `Subscription canceled now${credited > 0 ? `, ${money(credited)} of unused time credited` : ""}`;
    }
    case "subscription.paused": {
      const credited = num(after.credited) ?? 0;
      return `Subscription paused${credited > 0 ? `, ${money(credited)} of unused time credited` : ""}`;
    }
    case "subscription.discount_applied":
      return `Coupon ${str(after.coupon) ?? ""} applied`.replace("  ", " ");
    case "invoice.finalized":
      return `${Invoice} finalized${num(after.total) !== null ? ` for ${money(num(after.total))}` : ""}`;
    case "invoice.paid":
      // The money that moved and where from; an invoice settled without a payment (credit) stays "paid".
      if (paid) return `Paid ${paid}${means ? ` ${card ? "with" : "by"} ${means}` : ""}${onInvoice}`;
      break;
    case "invoice.resent":
      return `${Invoice} emailed again to ${str(after.to) ?? "the customer"}`;
    case "credit_note.created": {
      const number = row.credit_note_number ?? str(after.number);
      const amount = money(num(after.amount));
      const outcome = str(after.outcome);
      // A refund is issued as a credit note; staff look for it as the refund it is.
      if (outcome === "refund") return `Refunded ${amount ? `${amount} ` : ""}to ${card ?? "the card"} for ${invoice}${number ? ` (credit note ${number})` : ""}`;
      const effect = outcome === "credit" ? "credited to the balance" : outcome === "out_of_band" ? "repaid outside Tally" : "reduces what is owed";
      return `Credit note ${number ? `${number} ` : ""}${amount ? `for ${amount} ` : ""}on ${invoice}: ${effect}`;
    }
    case "payment.recorded_manually":
      return `${paid ? `Payment of ${paid}` : "Payment"} recorded manually on ${invoice} (${str(after.method)?.replace("_", " ") ?? "other"})`;
    case "payment.failed": {
      const code = str(after.declineCode) ?? str(after.failure_code);
      return `${paid ? `Payment of ${paid}${card ? ` with ${card}` : ""}` : "Payment"} failed${code ? ` (${code})` : ""}${onInvoice}`;
    }
    case "payment.requires_action":
      return `${paid ? `Payment of ${paid}${card ? ` with ${card}` : ""}` : "Payment"} needs the customer to authenticate${onInvoice}`;
    case "payment.refunded":
      return `Refund confirmed by the gateway (${money(num(after.amount_refunded))} refunded in total${card ? ` to ${card}` : ""})`;
    case "payment_method.attached":
      return `Card added${str(after.brand) ? `: ${str(after.brand)!.charAt(0).toUpperCase()}${str(after.brand)!.slice(1)} ending ${str(after.last4) ?? ""}` : ""}`;
    case "user.created":
      return `${str(after.role) === "subscriber" ? "Portal login" : "Staff member"} ${str(after.email) ?? ""} created${str(after.role) && str(after.role) !== "subscriber" ? ` as ${roleWords(str(after.role)!)}` : ""}`.replace("  ", " ");
    case "user.role_changed":
      return `Role changed${str(before.role) ? ` from ${roleWords(str(before.role)!)}` : ""} to ${roleWords(str(after.role) ?? "")}`;
    case "permission.denied":
      return `Refused: the ${roleWords(str(after.role) ?? "")} role may not ${row.entity_id ? humanize(row.entity_id).toLowerCase() : "do this"}`;
    case "api_key.created":
      return `${after.livemode ? "Live" : "Test"} API key “${str(after.name) ?? ""}” created`;
    case "setting.updated":
      return `Setting ${row.entity_id ?? ""} changed`;
    case "retention.cancel_started": {
      // The reason the subscriber gave and what they were offered, or why no offer was made.
      const reason = str(after.reason);
      const label = reason && reason in reasonLabels ? ` (“${reasonLabels[reason as CancellationReason]}”)` : "";
      const withheld = str(after.withheld);
      const offer = after.offer ? offerWords(after.offer as RetentionOfferTerms) : null;
      const what = offer ? `offered ${offer}` : withheld && withheld in withheldLabels ? `no offer: ${withheldLabels[withheld as Withheld]}` : "no offer";
      return `Cancellation flow started${label}; ${what}`;
    }
    case "test_clock.advanced":
      return `Test clock advanced to ${str(after.frozen_time)?.replace("T", " ").slice(0, 16) ?? "a new time"} UTC`;
  }
  return auditActionCatalog[row.action].sentence.replace("{Invoice}", Invoice);
}

/** A retention offer's terms in words: "25% off for 3 months", "a pause of up to 3 months". */
function offerWords(terms: RetentionOfferTerms): string | null {
  switch (terms.kind) {
    case "discount":
      return `${terms.percent}% off for ${terms.months} month${terms.months === 1 ? "" : "s"}`;
    case "pause":
      return `a pause of up to ${terms.maxMonths} month${terms.maxMonths === 1 ? "" : "s"}`;
    case "cheaper_plan":
      return "a cheaper plan";
    case "contact_support":
      return "a talk with support";
    case "none":
      return null;
  }
}

/** A customer's usage of one meter on one UTC day, as the customer timeline shows it. */
export interface UsageDay {
  code: string;
  name: string;
  aggregation: string;
  /** yyyy-mm-dd (UTC). */
  day: string;
  events: number;
  late: number;
  /** The day's aggregate by the meter's current version, a decimal string. */
  value: string;
}

/** "API calls on 8 Mar 2027: 1,234 events, 2 late" / "Tokens on 8 Mar 2027: 12.5 (sum of 3 events)". */
export function describeUsageDay(u: UsageDay, fmt: Formatter): string {
  const day = fmt.date(new Date(`${u.day}T00:00:00Z`));
  const events = `${fmt.usage(String(u.events))} event${Number(u.events) === 1 ? "" : "s"}`;
  const late = u.late > 0 ? `, ${u.late} late` : "";
  const measure: Record<string, string> = { sum: "sum", max: "maximum", last: "last value", unique_count: "distinct values" };
  const what = u.aggregation === "count" ? `${events}${late}` : `${fmt.usage(u.value)} (${measure[u.aggregation] ?? u.aggregation} of ${events}${late})`;
  return `Usage of ${u.name} on ${day}: ${what}`;
}
