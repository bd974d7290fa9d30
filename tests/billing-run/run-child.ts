/**
 * Child process of the batch-equals-per-subscription tests: one billing run on DATABASE_URL, by the
 * path named in argv[2], for the `now` in argv[3]:
 * - "batch": runDueSubscriptions, with the batch size in argv[4];
 * - "one-by-one": runDueSubscriptionsOneByOne; "one-by-one-row": the same with planned writes
 *   applied row by row;
 * - "ids-batch" / "ids-batch-row": billDueIds over the comma-separated ids in argv[4], in chunks of
 *   argv[5] (set statements / row by row); "ids-one-by-one": processDueSubscription over them in order.
 * Prints its result as JSON. A process of its own, so each path runs against its own database with
 * its own sandbox gateway ledger (the gateway writes through the process's database handle).
 */
import { closeDb, getDb } from "@/db/client";
import { systemActor } from "@/lib/actor";
import { addResult, billDueIds, billOneByOne, emptyResult } from "@/lib/services/billing-run/bill-due";
import { runDueSubscriptions, runDueSubscriptionsOneByOne } from "@/lib/services/billing-run/run-due-subscriptions";

const MODES = ["batch", "one-by-one", "one-by-one-row", "ids-batch", "ids-batch-row", "ids-one-by-one"] as const;
const [mode, at, arg, chunkArg] = process.argv.slice(2);
const now = new Date(at ?? "");
if (!MODES.includes(mode as (typeof MODES)[number]) || Number.isNaN(now.getTime())) throw new Error(`usage: run-child.ts ${MODES.join("|")} <now ISO> [batch size | ids [chunk]]`);
const db = await getDb();

async function run() {
  if (mode === "batch") return runDueSubscriptions(db, now, 10_000, { batchSize: Number(arg ?? 500) });
  if (mode === "one-by-one" || mode === "one-by-one-row") return runDueSubscriptionsOneByOne(db, now, 10_000, { applyMode: mode === "one-by-one-row" ? "row" : "set" });
  const ids = (arg ?? "").split(",").filter(Boolean);
  const ctx = { db, actor: systemActor("billing-run"), now, applyMode: mode === "ids-batch-row" ? ("row" as const) : ("set" as const) };
  const result = emptyResult();
  if (mode === "ids-one-by-one") {
    for (const id of ids) await billOneByOne(ctx, id, result);
    return result;
  }
  const chunk = Math.max(1, Number(chunkArg ?? ids.length));
  for (let i = 0; i < ids.length; i += chunk) addResult(result, await billDueIds(ctx, ids.slice(i, i + chunk)));
  return result;
}

const result = await run();
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
await closeDb();
process.exit(0);
