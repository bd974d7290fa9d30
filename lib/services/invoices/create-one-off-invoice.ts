import { customerNow, findPaymentMethod, lockCustomer } from "@/db/queries/customers";
import type { InvoiceRow } from "@/db/queries/invoices";
import { recordAudit } from "@/lib/audit/record";
import type { LineInput } from "@/lib/billing/types";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import { assertMinorUnits, isSafeMinor } from "@/lib/money";
import type { ServiceContext } from "../context";
import { applyCreditAndFinalize } from "./apply-credit-and-finalize";
import { attemptInvoicePayment } from "./attempt-payment";
import { issueInvoice } from "./issue-invoice";

export interface OneOffLine {
  description: string;
  /** Unit amount, integer minor units of the customer's currency. */
  unitAmount: number;
  quantity: number;
  taxBehavior: "inclusive" | "exclusive";
}

export interface CreateOneOffInvoiceInput {
  customerId: string;
  lines: OneOffLine[];
  collectionMethod?: "charge_automatically" | "send_invoice";
  /** send_invoice only: days from finalization to the due date (default 30). */
  daysUntilDue?: number;
  /** Finalize at once and, when collection is automatic, charge the default payment method. */
  autoAdvance?: boolean;
}

const DEFAULT_DAYS_UNTIL_DUE = 30;

/**
 * A one-off invoice (a course purchase, a setup fee) in the customer's currency: created as a
 * draft with billing reason `manual`, taxed and totalled by the same engine as subscription
 * invoices. It gets its number and the customer's credit when it is finalized.
 */
export async function createOneOffInvoice(ctx: ServiceContext, input: CreateOneOffInvoiceInput): Promise<InvoiceRow> {
  const collectionMethod = input.collectionMethod ?? "charge_automatically";
  if (collectionMethod === "charge_automatically" && input.daysUntilDue !== undefined) {
    throw new AppError("validation_failed", { param: "days_until_due", userMessage: "days_until_due applies only to collection_method send_invoice." });
  }
  const daysUntilDue = collectionMethod === "send_invoice" ? (input.daysUntilDue ?? DEFAULT_DAYS_UNTIL_DUE) : null;

  const created = await ctx.db.transaction(async (tx) => {
    const customer = await lockCustomer(tx, input.customerId);
    if (!customer) throw notFound("customer", "customer");
    const lines = input.lines.map((line, i) => toLineInput(line, customer.currency, i));
    if (input.autoAdvance && collectionMethod === "charge_automatically") {
      const method = customer.defaultPaymentMethodId ? await findPaymentMethod(tx, customer.defaultPaymentMethodId) : undefined;
      if (!method || method.detachedAt) {
        throw new AppError("validation_failed", {
          param: "customer",
          userMessage: "The customer has no default payment method to charge. Add one, or use collection_method send_invoice.",
        });
      }
    }
    const at = await customerNow(tx, customer, ctx.now);
    const invoice = await issueInvoice(tx, ctx.actor, {
      customer,
      subscription: null,
      billingReason: "manual",
      period: null,
      lines,
      discount: null,
      consumesPendingItems: false,
      at,
      draft: true,
      collection: { method: collectionMethod, daysUntilDue },
    }, ctx.applyMode);
    await recordAudit(tx, ctx.actor, { action: "invoice.created", entityType: "invoice", entityId: invoice.id, after: invoice }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "invoice.created", customerId: customer.id, entityId: invoice.id, payload: { invoice: invoice.id } }, at);
    // A draft changes nothing on the customer, so the locked row is still current.
    return input.autoAdvance ? applyCreditAndFinalize(tx, ctx.actor, invoice, customer, at, daysUntilDue, ctx.applyMode) : invoice;
  });

  if (input.autoAdvance && created.status === "open" && collectionMethod === "charge_automatically") {
    return (await attemptInvoicePayment(ctx, created.id)).invoice;
  }
  return created;
}

function toLineInput(line: OneOffLine, currency: string, index: number): LineInput {
  const param = `lines[${index}]`;
  const unitAmount = assertMinorUnits(line.unitAmount, currency, `${param}.amount`);
  if (unitAmount < 0) throw new AppError("amount_invalid", { param: `${param}.amount`, userMessage: `${param}.amount must not be negative.` });
  if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
    throw new AppError("out_of_range", { param: `${param}.quantity`, userMessage: `${param}.quantity must be an integer of at least 1.` });
  }
  const amount = unitAmount * line.quantity;
  if (!isSafeMinor(amount)) throw new AppError("out_of_range", { param: `${param}.quantity`, userMessage: `${param}: amount × quantity is too large.` });
  const description = line.description.trim();
  if (description === "") throw new AppError("validation_failed", { param: `${param}.description`, userMessage: `${param}.description must not be empty.` });
  return {
    description,
    amount,
    quantity: line.quantity,
    unitAmount,
    periodStart: null,
    periodEnd: null,
    proration: false,
    priceId: null,
    planId: null,
    taxBehavior: line.taxBehavior,
  };
}
