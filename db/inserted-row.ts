import { getTableColumns, getTableName, is, SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";

/**
 * The row an insert of `values` stores, as a select returns it: each column's value, or its
 * default when the insert leaves it out. Only a literal default can be known here: a column left
 * out whose default the database or drizzle computes (`now()`, a serial, a `$defaultFn`), or that
 * has none and may not be null, is refused. For rows a caller wrote moments before and goes on
 * with without reading them back (chargeRenewals settles a batch from the rows its renewals wrote).
 */
export function insertedRow<T extends PgTable>(table: T, values: T["$inferInsert"]): T["$inferSelect"] {
  const given = values as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const [property, fill] of fillsOf(table)) {
    const value = given[property];
    if (value !== undefined) row[property] = value;
    else if (fill.known) row[property] = fill.value;
    else throw new Error(`${getTableName(table)}.${fill.name}: not in the insert, and its default is not known before it is stored`);
  }
  return row as T["$inferSelect"];
}

type Fill = { name: string; known: true; value: unknown } | { name: string; known: false };

const fills = new WeakMap<PgTable, [string, Fill][]>();

/** Each column's stand-in for a value the insert leaves out: its literal default, null, or none. */
function fillsOf(table: PgTable): [string, Fill][] {
  let list = fills.get(table);
  if (list) return list;
  list = Object.entries(getTableColumns(table) as Record<string, PgColumn>).map(([property, column]): [string, Fill] => {
    const name = column.name;
    if (column.defaultFn || column.onUpdateFn || column.generated || is(column.default, SQL)) return [property, { name, known: false }];
    // A serial's default is the database's (hasDefault without a value).
    if (column.hasDefault) return [property, column.default === undefined ? { name, known: false } : { name, known: true, value: column.default }];
    return [property, column.notNull ? { name, known: false } : { name, known: true, value: null }];
  });
  fills.set(table, list);
  return list;
}
