/**
 * Tally's side of the batch parts (a and d): the batch route handlers of POST /usage_events/batch and
 * POST /api_costs/batch on the usage listener's kind of server (createRouteServer), in a process of
 * its own, apart from the client that calls it (as COPY's client, psql, is a process of its own).
 * Started by run.ts with DATABASE_URL and PORT.
 */
import { createRouteServer } from "@/lib/api/usage-listener";
import { postUsageEventBatch } from "@/lib/api/usage-event-routes";
import { POST as costBatchRoute } from "@/app/api/v1/api_costs/batch/route";
import { closeDb, getDb } from "@/db/client";

await getDb();
const server = createRouteServer({ "/api/v1/usage_events/batch": postUsageEventBatch, "/api/v1/api_costs/batch": costBatchRoute });
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("batch server ready"));
process.on("SIGTERM", () => server.close(() => void closeDb().then(() => process.exit(0))));
