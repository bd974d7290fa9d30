import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Executor } from "@/db/client";

/**
 * Multi-row statements over one JSON parameter: a batch of 500 rows is sent as a single JSON
 * array and expanded by `json_to_recordset` with the columns' types, so the statement has one
 * parameter whatever the batch size. Serializing is one native JSON.stringify (Dates become ISO
 * instants; jsonb columns are nested JSON), where an array parameter per column costs an escaped
 * array literal per column on the client and a planned VALUES list would cost far more on the server.
 */
export type ColumnType = "text" | "timestamptz" | "bigint" | "integer" | "boolean" | "jsonb";

export interface SetColumn<Row> {
  name: string;
  type: ColumnType;
  value: (row: Row) => unknown;
}

function source<Row>(rows: readonly Row[], cols: readonly SetColumn<Row>[]): SQL {
  const records = rows.map((r) => {
    const record: Record<string, unknown> = {};
    for (const c of cols) record[c.name] = c.value(r) ?? null;
    return record;
  });
  return sql`json_to_recordset(${JSON.stringify(records)}::json) as v(${sql.raw(cols.map((c) => `${c.name} ${c.type}`).join(", "))})`;
}

const names = (cols: readonly { name: string }[]) => sql.raw(cols.map((c) => c.name).join(", "));

/** INSERT every row in one statement; columns not listed take their defaults. */
export async function insertRows<Row>(tx: Executor, table: string, rows: readonly Row[], cols: readonly SetColumn<Row>[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`insert into ${sql.raw(table)} (${names(cols)}) select ${sql.raw(cols.map((c) => `v.${c.name}`).join(", "))} from ${source(rows, cols)}`);
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
    sql`update ${sql.raw(table)} as t set ${sql.raw(set.map((c) => `${c.name} = v.${c.name}`).join(", "))} from ${source(rows, cols)} where t.${sql.raw(key.name)} = v.${sql.raw(key.name)}${where ? sql` and ${where}` : sql``} returning t.${sql.raw(key.name)} as key`,
  );
  return updated.map((r) => r.key);
}
