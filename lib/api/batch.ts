import type { z } from "zod";
import { fromZod } from "./problem";

export type BatchRejection = { index: number; code: string; param?: string; detail: string };

/**
 * The items of a batch request, each validated on its own with the single endpoint's schema: a
 * malformed one is rejected by itself (with its index) instead of failing the request.
 */
export function parseBatchItems<S extends z.ZodType, I>(schema: S, items: readonly unknown[], toInput: (body: z.output<S>) => I): { valid: { index: number; input: I }[]; rejected: BatchRejection[] } {
  const rejected: BatchRejection[] = [];
  const valid: { index: number; input: I }[] = [];
  items.forEach((raw, index) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) valid.push({ index, input: toInput(parsed.data) });
    else {
      const problem = fromZod(parsed.error.issues);
      rejected.push({ index, code: problem.code, param: problem.param, detail: problem.detail });
    }
  });
  return { valid, rejected };
}

/** A batch's answer from the service's outcomes (one per valid item, in order) and the items rejected before it. */
export function batchCounts(
  outcomes: readonly ({ status: "accepted" | "duplicate" } | { status: "rejected"; problem: Omit<BatchRejection, "index"> })[],
  valid: readonly { index: number }[],
  rejectedBefore: readonly BatchRejection[],
): { accepted: number; duplicates: number; rejected: BatchRejection[] } {
  const rejected = [...rejectedBefore];
  let accepted = 0;
  let duplicates = 0;
  outcomes.forEach((outcome, n) => {
    if ("problem" in outcome) rejected.push({ index: valid[n]?.index ?? -1, ...outcome.problem });
    else if (outcome.status === "accepted") accepted += 1;
    else duplicates += 1;
  });
  rejected.sort((a, b) => a.index - b.index);
  return { accepted, duplicates, rejected };
}
