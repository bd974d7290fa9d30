import { z } from "zod";
import { idField } from "../fields";
import { defineOperation } from "../operation";
import { listOf, listQuery } from "../pagination";
import { paymentResource } from "../resources/payment";
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

export const paymentOperations = [listPaymentsOp, retrievePaymentOp, detachPaymentMethodOp];
