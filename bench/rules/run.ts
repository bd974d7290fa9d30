/**
 * Micro-benchmark of the code-level performance rules of the billing run (bench/RESULTS.md,
 * "Performance rules and their evidence"): each rule against what it replaces, in one process,
 * interleaved, the median of several repetitions. No database.
 *
 *   npx tsx bench/rules/run.ts            options: --count 100000 --repeat 7
 *
 * P1 — an object built as a spread followed by new properties, against the same object written
 *      out (or with the new properties before the spread), for the two shapes the renewal path
 *      builds per renewal: an audit entry from the actor, and a finalized invoice from its draft.
 *      The objects are kept (as a batch keeps its plans) and read once.
 * P2 — db/set-sql.ts's JSON records written as text (`recordsJson`) against `JSON.stringify` of an
 *      object per row, keyed c0…cn as recordsJson keys them and keyed by column name; the same
 *      text (bytes printed), batches of 1,000 audit-shaped rows.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { recordsJson, type SetColumn } from "@/db/set-sql";
import type { AuditRowInput } from "@/lib/events/catalog/rows";
import { systemFormatter } from "@/lib/format";

const { values: opts } = parseArgs({ options: { count: { type: "string", default: "100000" }, repeat: { type: "string", default: "7" } } });
const N = Number(opts.count);
const REPEAT = Number(opts.repeat);

function median(f: () => unknown): number {
  const times: number[] = [];
  for (let r = 0; r < REPEAT; r++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function report(title: string, cases: [string, () => unknown][]): void {
  console.log(`\n${title}`);
  // Interleaved twice, so drift on a shared machine falls on every case alike; the second pass is reported.
  let results: [string, number][] = [];
  for (let pass = 0; pass < 2; pass++) results = cases.map(([name, f]) => [name, median(f)]);
  const base = results[0]![1];
  for (const [name, ms] of results) console.log(`  ${name.padEnd(70)} ${ms.toFixed(1).padStart(8)} ms  (${(ms / base).toFixed(2)}× the first)`);
}

/** Build N objects with `make`, keep them, then read a field of each. */
function buildAndRead<T extends { id: string }>(make: (i: number) => T): () => number {
  return () => {
    const kept = new Array<T>(N);
    for (let i = 0; i < N; i++) kept[i] = make(i);
    let total = 0;
    for (const o of kept) total += o.id.length;
    return total;
  };
}

// P1, audit entry: `{ ...actor, at, action, … }`.
const actor = { actorType: "system" as const, actorId: "billing-run" };
const at = new Date("2026-10-20T00:00:00.000Z");
const auditSpread = (i: number) => ({ ...actor, id: `aud_${i}`, at, action: "subscription.renewed", entityType: "subscription", entityId: `sub_${i}`, before: null, after: null, requestId: null });
const auditWritten = (i: number) => ({ actorType: actor.actorType, actorId: actor.actorId, id: `aud_${i}`, at, action: "subscription.renewed", entityType: "subscription", entityId: `sub_${i}`, before: null, after: null, requestId: null });

// P1, finalized invoice: the draft's columns, then the finalization's (renew-batch.ts finalizedInvoice).
const drafts = Array.from({ length: N }, (_, i) => ({
  id: `in_${i}`, customerId: `cus_${i}`, subscriptionId: `sub_${i}`, status: "draft", currency: "aud", billingReason: "subscription_cycle",
  collectionMethod: "charge_automatically", subtotal: 2900, discountTotal: 0, taxTotal: 264, total: 2900, creditApplied: 0, debitApplied: 0,
  amountDue: 2900, amountPaid: 0, amountRemaining: 2900, periodStart: at, periodEnd: at, createdAt: at, hostedToken: `tok_${i}`, accountCountry: "AU",
}));
const finalization = { number: "INV-000001", status: "open", finalizedAt: at, paidAt: null, dueDate: null, amountRemaining: 2900, nextPaymentAttemptAt: null };
const invoiceSpreadThenSet = (i: number) => {
  const d = drafts[i]!;
  const f = finalization;
  return { ...d, number: f.number, status: f.status, finalizedAt: f.finalizedAt, paidAt: f.paidAt, dueDate: f.dueDate, amountRemaining: f.amountRemaining, nextPaymentAttemptAt: f.nextPaymentAttemptAt };
};
const invoiceNewFirst = (i: number) => {
  const d = drafts[i]!;
  const f = finalization;
  return { number: f.number, finalizedAt: f.finalizedAt, paidAt: f.paidAt, dueDate: f.dueDate, nextPaymentAttemptAt: f.nextPaymentAttemptAt, ...d, status: f.status, amountRemaining: f.amountRemaining };
};

// P2: audit-shaped rows, as writeRenewals sends them.
type AuditRow = AuditRowInput;
const rows: AuditRow[] = Array.from({ length: 1000 }, (_, i) => ({ ...actor, at, action: "invoice.finalized", entityType: "invoice", entityId: `in_${i}`, before: { status: "draft" }, after: { status: "open", number: `INV-${i}` }, requestId: null }));
const cols: SetColumn<AuditRow>[] = [
  { name: "actor_type", type: "text", value: (r) => r.actorType },
  { name: "actor_id", type: "text", value: (r) => r.actorId },
  { name: "at", type: "timestamptz", value: (r) => r.at },
  { name: "action", type: "text", value: (r) => r.action },
  { name: "entity_type", type: "text", value: (r) => r.entityType },
  { name: "entity_id", type: "text", value: (r) => r.entityId },
  { name: "before", type: "jsonb", value: (r) => r.before },
  { name: "after", type: "jsonb", value: (r) => r.after },
  { name: "request_id", type: "text", value: (r) => r.requestId },
];
const batches = Math.max(1, Math.round(N / rows.length));
const stringifyKeyed = (key: (c: SetColumn<AuditRow>, k: number) => string) => () =>
  JSON.stringify(
    rows.map((r) => {
      const record: Record<string, unknown> = {};
      cols.forEach((c, k) => {
        record[key(c, k)] = c.value(r);
      });
      return record;
    }),
  );
const byPosition = stringifyKeyed((_, k) => `c${k}`);
const byName = stringifyKeyed((c) => c.name);
const repeated = (f: () => unknown) => () => {
  for (let b = 0; b < batches; b++) f();
};

console.log(`bench:rules — ${systemFormatter().count(N)} objects/rows, median of ${REPEAT}; ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(2)}, Node ${process.version}`);
report("P1 audit entry (kept, then read)", [
  ["written out", buildAndRead(auditWritten)],
  ["{ ...actor, at, action, … } (spread, then new properties)", buildAndRead(auditSpread)],
]);
report("P1 finalized invoice (kept, then read)", [
  ["new properties before the spread", buildAndRead(invoiceNewFirst)],
  ["{ ...draft, number, status, … } (spread, then 7 properties)", buildAndRead(invoiceSpreadThenSet)],
]);
report(`P2 JSON records for set statements (${batches} batches of ${rows.length} audit rows)`, [
  ["recordsJson (db/set-sql.ts, written as text)", repeated(() => recordsJson(rows, cols))],
  ["JSON.stringify of an object per row, keys c0…cn", repeated(byPosition)],
  ["JSON.stringify of an object per row, keys = column names", repeated(byName)],
]);
console.log(`  bytes per batch: recordsJson ${recordsJson(rows, cols).length}, keys c0…cn ${byPosition().length}, column names ${byName().length}`);
