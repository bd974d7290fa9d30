/** One changed field between an audit entry's before and after. */
export interface FieldChange {
  key: string;
  before: unknown;
  after: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The fields that differ between before and after, in a stable order (keys sorted). A value that
 * is not an object on either side is compared whole under the key "value"; a missing side (creation
 * or removal) counts as an empty object.
 */
export function diffAudit(before: unknown, after: unknown): FieldChange[] {
  // A creation (nothing before) or a removal (nothing after) lists each field of the other side.
  if (before == null && isRecord(after)) before = {};
  if (after == null && isRecord(before)) after = {};
  if (!isRecord(before) || !isRecord(after)) {
    return JSON.stringify(before ?? null) === JSON.stringify(after ?? null) ? [] : [{ key: "value", before: before ?? null, after: after ?? null }];
  }
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changes: FieldChange[] = [];
  for (const key of keys) {
    const b = before[key] ?? null;
    const a = after[key] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) changes.push({ key, before: b, after: a });
  }
  return changes;
}

/** Compact display of a JSON value for a table cell. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
