import { z } from "zod";

/**
 * Stripe-style cursor lists. Extend `listQuery` with the resource's filters:
 * `query: listQuery.extend({ customer: idField("cus").optional() })`. The caller fetches `limit + 1`
 * rows after (or before) the cursor, newest first, and hands them to `toList`.
 */
export const LIST_LIMIT_DEFAULT = 20;
export const LIST_LIMIT_MAX = 100;

const cursor = z.string().min(1).max(255).regex(/^[a-z]+_[0-9A-Za-z]+$/, { message: "must be an object id" });

export const listQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(LIST_LIMIT_MAX)
    .default(LIST_LIMIT_DEFAULT)
    .meta({ description: `How many objects to return, 1–${LIST_LIMIT_MAX} (default ${LIST_LIMIT_DEFAULT}).` }),
  starting_after: cursor.optional().meta({ description: "Return objects after this id (next page)." }),
  ending_before: cursor.optional().meta({ description: "Return objects before this id (previous page)." }),
});

export type ListQuery = z.output<typeof listQuery>;

export interface List<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  url: string;
}

/**
 * `rows` holds up to `limit + 1` items; the extra one only tells us there is more. With
 * `ending_before` the caller reads backwards (oldest first from the cursor) and passes
 * `direction: "backward"`, so the page still comes out in list order.
 */
export function toList<T>(rows: readonly T[], limit: number, url: string, direction: "forward" | "backward" = "forward"): List<T> {
  const page = rows.slice(0, limit);
  return {
    object: "list",
    data: direction === "backward" ? page.reverse() : page,
    has_more: rows.length > limit,
    url,
  };
}

/** The response schema of a list of `item`s, for the operation's `response`. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({
    object: z.literal("list"),
    data: z.array(item),
    has_more: z.boolean(),
    url: z.string(),
  });
}
