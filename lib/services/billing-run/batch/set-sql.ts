import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Executor } from "@/db/client";

/**
 * Multi-row statements over `unnest` of one array parameter per column: a batch of 500 rows is
 * one statement with as many parameters as columns (not rows × columns), which PostgreSQL (and
 * PGlite) parse and plan in a fraction of the time of a VALUES list.
 */
export type ColumnType = "text" | "timestamptz" | "bigint" | "integer" | "boolean" | "jsonb";

export interface SetColumn<Row> {
  name: string;
  type: ColumnType;
  value: (row: Row) => unknown;
}

function param<Row>(rows: readonly Row[], col: SetColumn<Row>): SQL {
  const values = rows.map((r) => {
    const v = col.value(r);
    if (v === null || v === undefined) return null;
    if (col.type === "timestamptz") return (v as Date).toISOString();
    // What drizzle stores for a jsonb column: the value's JSON.
    if (col.type === "jsonb") return JSON.stringify(v);
    return v;
  });
  return sql`${sql.param(values)}::${sql.raw(col.type === "jsonb" ? "text" : col.type)}[]`;
}

const names = (cols: readonly { name: string }[]) => sql.raw(cols.map((c) => c.name).join(", "));

/** The unnest source `unnest($1::text[], …) as v(a, b, …)` of these rows; jsonb columns are read as v.col::jsonb. */
function source<Row>(rows: readonly Row[], cols: readonly SetColumn<Row>[]): SQL {
  return sql`unnest(${sql.join(
    cols.map((c) => param(rows, c)),
    sql`, `,
  )}) as v(${names(cols)})`;
}

const value = (c: { name: string; type: ColumnType }) => sql.raw(c.type === "jsonb" ? `v.${c.name}::jsonb` : `v.${c.name}`);

/** INSERT every row in one statement; columns not listed take their defaults. */
export async function insertRows<Row>(tx: Executor, table: string, rows: readonly Row[], cols: readonly SetColumn<Row>[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`insert into ${sql.raw(table)} (${names(cols)}) select ${sql.join(cols.map(value), sql`, `)} from ${source(rows, cols)}`);
}

/**
 * UPDATE every row in one statement, matched on `key` (the first column) and an optional extra
 * condition on the table's row (alias t); returns the keys updated.
 */
export async function updateRows<Row>(tx: Executor, table: string, rows: readonly Row[], cols: readonly SetColumn<Row>[], where?: SQL): Promise<string[]> {
  if (rows.length === 0) return [];
  const [key, ...set] = cols;
  if (!key) throw new Error("updateRows needs a key column");
  const updated = await queryRows<{ key: string }>(
    tx,
    sql`update ${sql.raw(table)} as t set ${sql.join(
      set.map((c) => sql`${sql.raw(c.name)} = ${value(c)}`),
      sql`, `,
    )} from ${source(rows, cols)} where t.${sql.raw(key.name)} = v.${sql.raw(key.name)}${where ? sql` and ${where}` : sql``} returning t.${sql.raw(key.name)} as key`,
  );
  return updated.map((r) => r.key);
}
