/**
 * Child process of the R15 test: a billing run on DATABASE_URL for the `now` given as the first
 * argument, killed by the test with SIGKILL at a random point. Prints "ready" once connected (so
 * the kill lands in the run, not in tsx's start-up), then runs two overlapping billing runs. Batches
 * of 5 (not the default 500) make these 300 subscriptions a run of many batches, as 10,000 are
 * with the default, and the first commits well inside the kill window: the kills land between
 * batches, inside one and while one is being charged.
 */
import { getDb } from "@/db/client";
import { runDueSubscriptions } from "@/lib/services/billing-run/run-due-subscriptions";

const now = new Date(process.argv[2] ?? "");
if (Number.isNaN(now.getTime())) throw new Error("usage: r15-billing-run-child.ts <now ISO>");
const db = await getDb();
process.stdout.write("ready\n");
await Promise.all([runDueSubscriptions(db, now, 10_000, { batchSize: 5 }), runDueSubscriptions(db, now, 10_000, { batchSize: 5 })]);
process.stdout.write("done\n");
process.exit(0);
