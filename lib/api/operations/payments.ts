import { z } from "zod";
import { amountField, idField } from "../fields";
import { defineOperation } from "../operation";
import { listOf, listQuery } from "../pagination";
import { paymentResource } from "../resources/payment";
import { refundResource } from "../resources/refund";
import { paymentMethodResource } from "../resources/payment-method";

export const listPaymentsOp = defineOperation({
  method: "GET",
  path: "/payments",
  operationId: "listPayments",
  summary: "List payment attempts, newest first",
  tags: ["Payments"],
  query: listQuery.extend({ invoice: idField("in").optional(), customer: idField("cus").optional() }),
  response: listOf(paymentResource),
});

export const retrievePaymentOp = defineOperation({
  method: "GET",
  path: "/payments/{id}",
  operationId: "retrievePayment",
  summary: "Retrieve a payment",
  tags: ["Payments"],
  params: z.object({ id: idField("py") }).strict(),
  response: paymentResource,
});

export const detachPaymentMethodOp = defineOperation({
  method: "DELETE",
  path: "/payment_methods/{id}",
  operationId: "detachPaymentMethod",
  summary: "Detach a payment method (the most recent other card becomes the default)",
  tags: ["Payment methods"],
  params: z.object({ id: idField("pm") }).strict(),
  response: paymentMethodResource,
});

export const recordPaymentOp = defineOperation({
  method: "POST",
  path: "/payments",
  operationId: "recordManualPayment",
  summary: "Record a payment received outside the gateway (bank transfer, cheque) against an open invoice",
  tags: ["Payments"],
  body: z.object({
    invoice: idField("in"),
    amount: amountField.optional().meta({ description: "Defaults to everything still owed." }),
    method: z.enum(["bank_transfer", "cheque", "other"]),
    reference: z.string().min(1).max(200).optional().meta({ description: "Bank or cheque reference; recording the same reference twice records it once." }),
  }),
  response: paymentResource,
});

export const createRefundOp = defineOperation({
  method: "POST",
  path: "/refunds",
  operationId: "createRefund",
  summary: "Refund (part of) a card payment; issued as a credit note with outcome refund",
  tags: ["Refunds"],
  body: z.object({
    payment: idField("py"),
    amount: amountField.optional().meta({ description: "Defaults to everything not yet refunded." }),
    reason: z.enum(["duplicate", "fraudulent", "requested_by_customer"]).optional(),
  }),
  response: refundResource,
});

export const listRefundsOp = defineOperation({
  method: "GET",
  path: "/refunds",
  operationId: "listRefunds",
  summary: "List refunds, newest first",
  tags: ["Refunds"],
  query: listQuery.extend({ payment: idField("py").optional(), invoice: idField("in").optional() }),
  response: listOf(refundResource),
});

export const paymentOperations = [listPaymentsOp, retrievePaymentOp, recordPaymentOp, detachPaymentMethodOp, createRefundOp, listRefundsOp];
