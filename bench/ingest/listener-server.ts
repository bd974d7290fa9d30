/**
 * Tally's side of the single-event bench: the dedicated usage listener (USAGE_EVENTS_PORT,
 * lib/api/usage-listener.ts) on its own, as the server opens it beside Next, in a process of its
 * own like the baseline's. Started by run.ts with DATABASE_URL and PORT.
 */
import { startUsageEventsListener } from "@/lib/api/usage-listener";
import { closeDb, getDb } from "@/db/client";

await getDb();
const server = await startUsageEventsListener(Number(process.env.PORT), "127.0.0.1");
console.log("usage listener ready");
process.on("SIGTERM", () => server.close(() => void closeDb().then(() => process.exit(0))));
