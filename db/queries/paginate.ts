import { and, asc, desc, eq, gt, lt, or, type SQL } from "drizzle-orm";
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
