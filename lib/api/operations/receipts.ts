import { z } from "zod";
import { idField } from "../fields";
import { defineOperation } from "../operation";
import { listOf, listQuery } from "../pagination";
import { receiptResource } from "../resources/receipt";

export const listReceiptsOp = defineOperation({
  method: "GET",
  path: "/receipts",
  operationId: "listReceipts",
  summary: "List receipts, newest first",
  description: "One receipt per successful payment (card or recorded manually), issued when the payment succeeds and emailed to the customer with its PDF.",
  tags: ["Receipts"],
  query: listQuery.extend({ customer: idField("cus").optional(), invoice: idField("in").optional(), payment: idField("py").optional() }),
  response: listOf(receiptResource),
});

export const retrieveReceiptOp = defineOperation({
  method: "GET",
  path: "/receipts/{id}",
  operationId: "retrieveReceipt",
  summary: "Retrieve a receipt",
  tags: ["Receipts"],
  params: z.object({ id: idField("rcpt") }).strict(),
  response: receiptResource,
});

export const receiptOperations = [listReceiptsOp, retrieveReceiptOp];
