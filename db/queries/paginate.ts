import { and, asc, desc, eq, gt, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Executor } from "../client";
import { notFound } from "@/lib/errors";

export interface PageRequest {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

/**
 * Keyset pagination, newest first, on (created_at, id): fetches limit + 1 rows so the caller knows
 * whether there is more. A cursor id that does not exist (or is filtered out) is a 404.
 */
export async function keysetPage<T extends PgTable & { id: PgColumn; createdAt: PgColumn }>(
  tx: Executor,
  table: T,
  where: SQL | undefined,
  page: PageRequest,
): Promise<{ rows: T["$inferSelect"][]; direction: "forward" | "backward" }> {
  const cursorId = page.startingAfter ?? page.endingBefore;
  let keyset: SQL | undefined;
  const backward = !page.startingAfter && !!page.endingBefore;
  if (cursorId) {
    const [cursor] = await tx.select({ createdAt: table.createdAt, id: table.id }).from(table as PgTable).where(and(eq(table.id, cursorId), where));
    if (!cursor) throw notFound("object", page.startingAfter ? "starting_after" : "ending_before");
    keyset = backward
      ? or(gt(table.createdAt, cursor.createdAt), and(eq(table.createdAt, cursor.createdAt), gt(table.id, cursor.id)))
      : or(lt(table.createdAt, cursor.createdAt), and(eq(table.createdAt, cursor.createdAt), lt(table.id, cursor.id)));
  }
  const order = backward ? [asc(table.createdAt), asc(table.id)] : [desc(table.createdAt), desc(table.id)];
  const rows = await tx
    .select()
    .from(table as PgTable)
    .where(and(where, keyset))
    .orderBy(...order)
    .limit(page.limit + 1);
  return { rows: rows as T["$inferSelect"][], direction: backward ? "backward" : "forward" };
}

/**
 * One page per parent, newest first on (created_at, id), for many parents in one statement: the
 * first `limit + 1` rows of each parent (the extra one only says there is more), after the
 * `startingAfter` row when given (an id; rows older than it, in every parent). Nested lists read
 * through a batch (GraphQL's loaders) use it so a page of parents costs one statement, not one each.
 */
export async function keysetPagePerParent<T extends PgTable & { id: PgColumn; createdAt: PgColumn }>(
  tx: Executor,
  table: T,
  parent: PgColumn,
  parentIds: readonly string[],
  where: SQL | undefined,
  page: { limit: number; startingAfter?: string },
): Promise<T["$inferSelect"][]> {
  if (parentIds.length === 0) return [];
  const cursor = alias(table as PgTable, "keyset_cursor") as unknown as T;
  const keyset = page.startingAfter
    ? sql`(${table.createdAt}, ${table.id}) < (select ${cursor.createdAt}, ${cursor.id} from ${cursor} where ${cursor.id} = ${page.startingAfter})`
    : undefined;
  const ranked = tx
    .select({
      rankedId: sql<string>`${table.id}`.as("ranked_id"),
      rank: sql<number>`row_number() over (partition by ${parent} order by ${table.createdAt} desc, ${table.id} desc)`.as("rank"),
    })
    .from(table as PgTable)
    .where(and(inArray(parent, [...parentIds]), where, keyset))
    .as("ranked");
  const rows = await tx
    .select({ row: table as PgTable })
    .from(table as PgTable)
    .innerJoin(ranked, eq(ranked.rankedId, table.id))
    .where(lte(ranked.rank, page.limit + 1))
    .orderBy(desc(table.createdAt), desc(table.id));
  return rows.map((r) => r.row) as T["$inferSelect"][];
}
