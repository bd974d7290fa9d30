/**
 * Child process of the batch-equals-per-subscription test: one billing run on DATABASE_URL, by the
 * path named in argv[2] ("batch": runDueSubscriptions, with the batch size in argv[4];
 * "one-by-one": runDueSubscriptionsOneByOne; "one-by-one-row": the same with planned writes applied row by row) for the `now` in argv[3]. Prints its result as JSON.
 * A process of its own, so each path runs against its own database with its own sandbox gateway
 * ledger (the gateway writes through the process's database handle).
 */
import { closeDb, getDb } from "@/db/client";
import { runDueSubscriptions, runDueSubscriptionsOneByOne } from "@/lib/services/billing-run/run-due-subscriptions";

const [mode, at, batchSize] = process.argv.slice(2);
const now = new Date(at ?? "");
if ((mode !== "batch" && mode !== "one-by-one" && mode !== "one-by-one-row") || Number.isNaN(now.getTime())) throw new Error("usage: run-child.ts batch|one-by-one|one-by-one-row <now ISO> [batch size]");
const db = await getDb();
const result =
  mode === "batch"
    ? await runDueSubscriptions(db, now, 10_000, { batchSize: Number(batchSize ?? 500) })
    : await runDueSubscriptionsOneByOne(db, now, 10_000, { applyMode: mode === "one-by-one-row" ? "row" : "set" });
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
await closeDb();
process.exit(0);
