import { getTableColumns, sql, type InferSelectModel, type SQL, type Table } from "drizzle-orm";
import { queryRows, type Executor } from "@/db/client";

interface RowMapping {
  columns: SQL;
  map: (raw: Record<string, unknown>) => unknown;
}

const mappings = new WeakMap<Table, RowMapping>();

/** A table's column list and its row mapping, worked out once per table. */
function mappingOf(table: Table): RowMapping {
  const known = mappings.get(table);
  if (known) return known;
  const cols = Object.entries(getTableColumns(table)).map(([key, column]) => ({ key, name: column.name, column }));
  const mapping: RowMapping = {
    columns: sql.join(
      cols.map((c) => sql`${table}.${sql.identifier(c.name)}`),
      sql`, `,
    ),
    map: (raw) => {
      const row: Record<string, unknown> = {};
      for (const { key, name, column } of cols) {
        const value = raw[name];
        row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
      }
      return row;
    },
  };
  mappings.set(table, mapping);
  return mapping;
}

/**
 * `select <every column> from <table> <tail>` as the table's rows — what `db.select().from(table)`
 * returns, value for value (tests/platform/select-rows.test.ts), for the billing run's batch loads
 * of thousands of rows: drizzle maps each column of each row through a generic path walk that
 * allocates as it goes, where this maps with one column list per table. `tail` is the rest of
 * the statement (where, order by, limit, for update …).
 */
export async function selectRows<T extends Table>(tx: Executor, table: T, tail: SQL): Promise<InferSelectModel<T>[]> {
  const { columns, map } = mappingOf(table);
  const raw = await queryRows<Record<string, unknown>>(tx, sql`select ${columns} from ${table} ${tail}`);
  return raw.map(map) as InferSelectModel<T>[];
}
