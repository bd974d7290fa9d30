import { z } from "zod";
import { idField } from "../fields";
import { defineOperation } from "../operation";
import { listOf, listQuery } from "../pagination";
import { disputeResource } from "../resources/dispute";

export const listDisputesOp = defineOperation({
  method: "GET",
  path: "/disputes",
  operationId: "listDisputes",
  summary: "List disputes, newest first",
  description: "Disputes come from the gateway (Stripe's charge.dispute.* webhooks; the sandbox's disputed test card).",
  tags: ["Disputes"],
  query: listQuery.extend({ payment: idField("py").optional(), customer: idField("cus").optional() }),
  response: listOf(disputeResource),
});

export const retrieveDisputeOp = defineOperation({
  method: "GET",
  path: "/disputes/{id}",
  operationId: "retrieveDispute",
  summary: "Retrieve a dispute",
  tags: ["Disputes"],
  params: z.object({ id: idField("dp") }).strict(),
  response: disputeResource,
});

export const disputeOperations = [listDisputesOp, retrieveDisputeOp];
