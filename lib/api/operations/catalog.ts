import { z } from "zod";
import { idField } from "../fields";
import { defineOperation } from "../operation";
import { listOf, listQuery } from "../pagination";
import { planResource } from "../resources/plan";

export const listPlansOp = defineOperation({
  method: "GET",
  path: "/plans",
  operationId: "listPlans",
  summary: "List plans with their current price per currency",
  tags: ["Catalog"],
  query: listQuery.extend({ active: z.enum(["true", "false"]).optional(), code: z.string().max(100).optional() }),
  response: listOf(planResource),
});

export const retrievePlanOp = defineOperation({
  method: "GET",
  path: "/plans/{id}",
  operationId: "retrievePlan",
  summary: "Retrieve a plan",
  tags: ["Catalog"],
  params: z.object({ id: idField("plan") }).strict(),
  response: planResource,
});

export const catalogOperations = [listPlansOp, retrievePlanOp];
