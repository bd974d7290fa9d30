import { z } from "zod";
import type { TestClockRow } from "@/db/queries/test-clocks";
import { dateTimeField, idField, nameField } from "../fields";
import { defineOperation } from "../operation";
import { listOf, listQuery } from "../pagination";

export const testClockResource = z
  .object({
    id: z.string(),
    object: z.literal("test_clock"),
    name: z.string().nullable(),
    frozen_time: z.string(),
    status: z.enum(["ready", "advancing"]),
    created: z.string(),
  })
  .meta({ id: "TestClock" });

export function toTestClock(row: TestClockRow): z.input<typeof testClockResource> {
  return { id: row.id, object: "test_clock", name: row.name, frozen_time: row.frozenTime.toISOString(), status: row.status, created: row.createdAt.toISOString() };
}

const frozenTime = dateTimeField;

export const createTestClockOp = defineOperation({
  method: "POST",
  path: "/test_clocks",
  operationId: "createTestClock",
  summary: "Create a test clock frozen at a time; customers created with it live in its time",
  tags: ["Test clocks"],
  body: z.object({ frozen_time: frozenTime, name: nameField.optional() }),
  response: testClockResource,
});

export const listTestClocksOp = defineOperation({
  method: "GET",
  path: "/test_clocks",
  operationId: "listTestClocks",
  summary: "List test clocks",
  tags: ["Test clocks"],
  query: listQuery,
  response: listOf(testClockResource),
});

export const retrieveTestClockOp = defineOperation({
  method: "GET",
  path: "/test_clocks/{id}",
  operationId: "retrieveTestClock",
  summary: "Retrieve a test clock",
  tags: ["Test clocks"],
  params: z.object({ id: idField("clock") }).strict(),
  response: testClockResource,
});

export const advanceTestClockOp = defineOperation({
  method: "POST",
  path: "/test_clocks/{id}/advance",
  operationId: "advanceTestClock",
  summary: "Advance the clock; returns once everything due up to frozen_time has run",
  tags: ["Test clocks"],
  params: z.object({ id: idField("clock") }).strict(),
  body: z.object({ frozen_time: frozenTime }),
  response: testClockResource,
});

export const testClockOperations = [createTestClockOp, listTestClocksOp, retrieveTestClockOp, advanceTestClockOp];
