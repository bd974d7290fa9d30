/**
 * One column of a batch as a PostgreSQL array literal (`{a,"b c",NULL}`), sent as one text parameter
 * and cast in the statement (`${arrayLiteral(ids)}::text[]`, `::jsonb[]`, `::timestamptz[]` …).
 * node-postgres writes an array parameter the same way, but quotes and escapes every element with two
 * regular expressions each: an ingest batch is eight to fifteen columns of a thousand elements, and
 * that took 0.25 of the ingest server's ≈ 2 CPU-seconds per 100,000 events (this: 0.17, bench/RESULTS.md
 * I6); the billing run's id lists go the same way (inTextArray). Here an element that needs no quotes
 * (letters, digits and `_ . : + -`, as ids, codes, ISO timestamps, decimals and booleans are) goes
 * bare, and any other is quoted with one pass.
 */
const BARE = /^[A-Za-z0-9_.:+-]+$/;
const NEEDS_ESCAPE = /[\\"]/g;

export type ArrayElement = string | number | boolean | null;

function element(value: ArrayElement): string {
  if (value === null) return "NULL";
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`not a finite number for an array element: ${value}`);
    return String(value);
  }
  // NULL in any case is the null element when bare; quoted, it is the text.
  if (BARE.test(value) && (value.length !== 4 || value.toLowerCase() !== "null")) return value;
  return `"${value.replace(NEEDS_ESCAPE, "\\$&")}"`;
}

/** The array literal of `values`, in order (empty: `{}`). */
export function arrayLiteral(values: readonly ArrayElement[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ",";
    out += element(values[i]!);
  }
  return out + "}";
}
