import { z } from "zod";
import { invoiceStatuses } from "@/db/schema";
import { idField } from "../fields";
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

export const invoiceOperations = [listInvoicesOp, retrieveInvoiceOp];
