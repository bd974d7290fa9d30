import { and, eq, getTableColumns, getTableName, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { inTextArray, type Executor } from "@/db/client";
import { insertRows, updateRows, type ColumnType, type SetColumn } from "@/db/set-sql";

/**
 * The one applier of planned writes (docs/decisions/024-plan-then-apply.md). A use case plans its
 * writes as data — rows to insert, rows to update by id with an optional guard — and hands a list
 * of them here; the applier performs them either row by row (one drizzle statement per row) or as
 * set statements (one statement per write, whatever the number of rows: db/set-sql.ts). Both modes
 * store the same rows (tests/platform/apply-writes.test.ts draws the rows at random and checks).
 *
 * Columns come from drizzle's table definitions: a row is typed by the table's `$inferInsert`, its
 * keys are the schema's property names, and the set statement's column names and SQL types are
 * read from the columns (getTableColumns), so a renamed column is a type error, not a broken string.
 */
export type ApplyMode = "set" | "row";

/** A table with a text primary key `id` (what updates match on). */
type KeyedTable = PgTable & { id: PgColumn };

export interface InsertWrite {
  op: "insert";
  table: PgTable;
  rows: readonly Record<string, unknown>[];
}

export interface UpdateWrite {
  op: "update";
  table: KeyedTable;
  /** Each row: its `id` and the columns to set. */
  rows: readonly ({ id: string } & Record<string, unknown>)[];
  /**
   * Only rows whose current value of every named column equals the one given are updated (a
   * payment still pending; an invoice still open with nothing more paid on it): by property name.
   */
  guard?: Readonly<Record<string, GuardValue>>;
  /** What to do when a row was not updated (its id gone, or the guard not met): throw (default) or skip it. */
  missing?: "throw" | "skip";
  /** Columns whose value is added to the stored one instead of replacing it (an amount paid so far). */
  add?: readonly string[];
}

export interface DeleteWrite {
  op: "delete";
  table: KeyedTable;
  /** The ids of the rows to delete. */
  rows: readonly string[];
}

/** A value a guard compares a column with. */
export type GuardValue = string | number | boolean;

export type Write = InsertWrite | UpdateWrite | DeleteWrite;

/** Rows to insert into `table`, typed by its insert model. Columns left out take their defaults. */
export function insertInto<T extends PgTable>(table: T, rows: readonly T["$inferInsert"][]): InsertWrite {
  return { op: "insert", table, rows: rows as readonly Record<string, unknown>[] };
}

/** A guard on `table`'s columns: each one named must hold the value given. */
export type Guard<T extends PgTable> = { [K in keyof T["$inferSelect"]]?: T["$inferSelect"][K] & GuardValue };

/** Rows of `table` to update by id, each with the columns to set. */
export function updateIn<T extends KeyedTable>(
  table: T,
  rows: readonly ({ id: string } & Partial<T["$inferInsert"]>)[],
  opts: { guard?: Guard<T>; missing?: "throw" | "skip"; add?: readonly (keyof T["$inferSelect"] & string)[] } = {},
): UpdateWrite {
  return { op: "update", table, rows: rows as UpdateWrite["rows"], guard: opts.guard as UpdateWrite["guard"], missing: opts.missing, add: opts.add };
}

/** Rows of `table` to delete, by id (a subscription's items replaced by new ones); an id not there is skipped. */
export function deleteFrom<T extends KeyedTable>(table: T, ids: readonly string[]): DeleteWrite {
  return { op: "delete", table, rows: ids };
}

/**
 * Perform the writes in order, in the caller's transaction. Returns, for each write, the ids it
 * touched (updates and deletes: the rows updated or deleted; inserts: an empty list).
 */
export async function applyWrites(tx: Executor, writes: readonly Write[], mode: ApplyMode): Promise<string[][]> {
  const touched: string[][] = [];
  for (const write of writes) {
    if (write.rows.length === 0) {
      touched.push([]);
      continue;
    }
    if (write.op === "insert") {
      if (mode === "set") await insertRows(tx, getTableName(write.table), write.rows, setColumns(write.table, write.rows[0]!));
      else for (const row of write.rows) await tx.insert(write.table).values(row);
      touched.push([]);
      continue;
    }
    if (write.op === "delete") {
      touched.push(mode === "set" ? await deleteSet(tx, write) : await deleteRowByRow(tx, write));
      continue;
    }
    const updated = mode === "set" ? await updateSet(tx, write) : await updateRowByRow(tx, write);
    if ((write.missing ?? "throw") === "throw" && updated.length !== write.rows.length) {
      throw new Error(`updated ${updated.length} of ${write.rows.length} ${getTableName(write.table)} rows`);
    }
    touched.push(updated);
  }
  return touched;
}

async function deleteSet(tx: Executor, write: DeleteWrite): Promise<string[]> {
  const rows = await tx.delete(write.table).where(inTextArray(write.table.id, [...write.rows])).returning({ id: write.table.id });
  return rows.map((r) => String(r.id));
}

async function deleteRowByRow(tx: Executor, write: DeleteWrite): Promise<string[]> {
  const deleted: string[] = [];
  for (const id of write.rows) {
    const rows = await tx.delete(write.table).where(eq(write.table.id, id)).returning({ id: write.table.id });
    if (rows.length) deleted.push(id);
  }
  return deleted;
}

async function updateSet(tx: Executor, write: UpdateWrite): Promise<string[]> {
  const cols = setColumns(write.table, write.rows[0]!);
  // updateRows matches on its first column.
  const key = cols.findIndex((c) => c.name === write.table.id.name);
  const added = new Set((write.add ?? []).map((property) => columnOf(write.table, property).name));
  const ordered = [cols[key]!, ...cols.filter((_, k) => k !== key)].map((c) => (added.has(c.name) ? { ...c, assign: (v: string) => `t.${c.name} + ${v}` } : c));
  const guard = write.guard && Object.keys(write.guard).length ? guardSql(write.table, write.guard) : undefined;
  return updateRows(tx, getTableName(write.table), write.rows, ordered, { where: guard });
}

async function updateRowByRow(tx: Executor, write: UpdateWrite): Promise<string[]> {
  const updated: string[] = [];
  const guard = write.guard ? and(...Object.entries(write.guard).map(([property, value]) => eq(columnOf(write.table, property), value))) : undefined;
  for (const { id, ...values } of write.rows) {
    const set: Record<string, unknown> = { ...values };
    for (const property of write.add ?? []) set[property] = sql`${columnOf(write.table, property)} + ${values[property]}`;
    const rows = await tx
      .update(write.table)
      .set(set)
      .where(and(eq(write.table.id, id), guard))
      .returning({ id: write.table.id });
    if (rows.length) updated.push(id);
  }
  return updated;
}

function columnOf(table: PgTable, property: string): PgColumn {
  const column = (getTableColumns(table) as Record<string, PgColumn>)[property];
  if (!column) throw new Error(`${getTableName(table)} has no column ${property}`);
  return column;
}

function guardSql(table: PgTable, guard: Readonly<Record<string, GuardValue>>): SQL {
  return sql.join(
    Object.entries(guard).map(([property, value]) => sql`t.${sql.identifier(columnOf(table, property).name)} = ${value}`),
    sql` and `,
  );
}

/** The SQL types set statements send (db/set-sql.ts), from drizzle's column types. */
const SQL_TYPES: Record<string, ColumnType> = {
  text: "text",
  "timestamp with time zone": "timestamptz",
  bigint: "bigint",
  bigserial: "bigint",
  integer: "integer",
  serial: "integer",
  boolean: "boolean",
  jsonb: "jsonb",
};

const columnSets = new WeakMap<PgTable, Map<string, SetColumn<Record<string, unknown>>[]>>();

/**
 * The set statement's columns for rows shaped like `sample`: each property it defines, by the
 * table's column name and SQL type; worked out once per table and shape. A later row that leaves
 * one of them undefined is refused (the set statement would store NULL where a row-by-row insert
 * stores the default).
 */
function setColumns(table: PgTable, sample: Record<string, unknown>): SetColumn<Record<string, unknown>>[] {
  const keys = Object.keys(sample).filter((k) => sample[k] !== undefined);
  const shape = keys.join(",");
  let byShape = columnSets.get(table);
  if (!byShape) columnSets.set(table, (byShape = new Map()));
  const known = byShape.get(shape);
  if (known) return known;
  const cols = keys.map((property): SetColumn<Record<string, unknown>> => {
    const column = columnOf(table, property);
    const type = SQL_TYPES[column.getSQLType()];
    if (!type) throw new Error(`${getTableName(table)}.${column.name}: no set-statement type for ${column.getSQLType()}`);
    return {
      name: column.name,
      type,
      value: (row) => {
        const value = row[property];
        if (value === undefined) throw new Error(`${getTableName(table)}.${column.name} is missing from a row of a set write`);
        return value;
      },
    };
  });
  byShape.set(shape, cols);
  return cols;
}
