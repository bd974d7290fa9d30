import { z } from "zod";
import { invoiceStatuses } from "@/lib/billing/invoices/statuses";
import { amountInCurrencyField, idField, nameField } from "../fields";
import { defineOperation } from "../operation";
import { listOf, listQuery } from "../pagination";
import { invoiceResource } from "../resources/invoice";

export const listInvoicesOp = defineOperation({
  method: "GET",
  path: "/invoices",
  operationId: "listInvoices",
  summary: "List invoices, newest first",
  tags: ["Invoices"],
  query: listQuery.extend({
    customer: idField("cus").optional(),
    subscription: idField("sub").optional(),
    status: z.enum(invoiceStatuses).optional(),
  }),
  response: listOf(invoiceResource),
});

export const retrieveInvoiceOp = defineOperation({
  method: "GET",
  path: "/invoices/{id}",
  operationId: "retrieveInvoice",
  summary: "Retrieve an invoice with its lines",
  tags: ["Invoices"],
  params: z.object({ id: idField("in") }).strict(),
  response: invoiceResource,
});

const invoiceIdParams = z.object({ id: idField("in") }).strict();

/** Quantity of a one-off line: an integer of at least 1. */
const lineQuantity = z.number().int().min(1).max(1_000_000).meta({ description: "Units, at least 1 (default 1)." });

export const createInvoiceOp = defineOperation({
  method: "POST",
  path: "/invoices",
  operationId: "createInvoice",
  summary: "Create a one-off invoice (a draft)",
  description:
    "A draft with billing_reason `manual`, in the customer's currency, taxed like any invoice. It has no number and applies no credit until it is finalized (`POST /invoices/{id}/finalize`). " +
    "With `auto_advance: true` it is finalized at once and, when collection is automatic, charged to the customer's default payment method.",
  tags: ["Invoices"],
  body: z.object({
    customer: idField("cus"),
    lines: z
      .array(
        z
          .object({
            description: nameField.min(1),
            amount: amountInCurrencyField.meta({ description: "Unit amount in integer minor units of the customer's currency, e.g. 1099 = $10.99." }),
            quantity: lineQuantity.optional(),
            tax_behavior: z.enum(["inclusive", "exclusive"]).meta({ description: "inclusive: the amount includes tax; exclusive: tax is added on top." }),
          })
          .strict(),
      )
      .min(1)
      .max(100),
    collection_method: z.enum(["charge_automatically", "send_invoice"]).optional().meta({ description: "Default charge_automatically." }),
    days_until_due: z.number().int().min(0).max(365).optional().meta({ description: "send_invoice only: days from finalization to the due date (default 30)." }),
    auto_advance: z.boolean().optional().meta({ description: "Finalize (and charge, when automatic) at once. Default false." }),
  }),
  response: invoiceResource,
});

export const finalizeInvoiceOp = defineOperation({
  method: "POST",
  path: "/invoices/{id}/finalize",
  operationId: "finalizeInvoice",
  summary: "Finalize a draft invoice",
  description: "Assigns the next invoice number and applies the customer's credit balance; an invoice the balance covers is paid at once. Finalized invoices never change. 409 unless the invoice is a draft.",
  tags: ["Invoices"],
  params: invoiceIdParams,
  response: invoiceResource,
});

export const payInvoiceOp = defineOperation({
  method: "POST",
  path: "/invoices/{id}/pay",
  operationId: "payInvoice",
  summary: "Pay an open or uncollectible invoice now",
  description:
    "Charges the customer's default payment method (a decline is a 402 `payment_failed` with the `decline_code`; a charge the payment gateway refuses as asked is a 400 `gateway_refused` naming its reason; the invoice stays open). " +
    "With `paid_out_of_band: true` it records a payment made outside Tally (method `other`) without charging. 409 for drafts, paid and void invoices.",
  tags: ["Invoices"],
  params: invoiceIdParams,
  body: z.object({ paid_out_of_band: z.boolean().optional() }),
  response: invoiceResource,
});

export const voidInvoiceOp = defineOperation({
  method: "POST",
  path: "/invoices/{id}/void",
  operationId: "voidInvoice",
  summary: "Void a draft, open or uncollectible invoice",
  description: "The invoice keeps its number and lines and is no longer owed; credit balance applied to it is returned. Invoices with payments are corrected with a credit note instead (409).",
  tags: ["Invoices"],
  params: invoiceIdParams,
  response: invoiceResource,
});

export const markInvoiceUncollectibleOp = defineOperation({
  method: "POST",
  path: "/invoices/{id}/mark_uncollectible",
  operationId: "markInvoiceUncollectible",
  summary: "Write off an open invoice",
  description: "Still payable (POST /invoices/{id}/pay), but no longer retried and reported as written off. 409 unless the invoice is open.",
  tags: ["Invoices"],
  params: invoiceIdParams,
  response: invoiceResource,
});

export const invoiceOperations = [listInvoicesOp, retrieveInvoiceOp, createInvoiceOp, finalizeInvoiceOp, payInvoiceOp, voidInvoiceOp, markInvoiceUncollectibleOp];
