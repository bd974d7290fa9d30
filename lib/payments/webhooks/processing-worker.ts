import { parentPort } from "node:worker_threads";
import { getDb } from "@/db/client";
import { enqueueStripeEvent } from "./queue";

/**
 * Entry of the webhook processing thread (started by processing-thread.ts in the Next.js server).
 * It has its own event loop, heap and small connection pool; it receives the ids the route
 * recorded and runs them through the same queue (lib/payments/webhooks/queue.ts) as the
 * in-thread fallback. A failure is on the event row, as anywhere else; the sweeper retries it.
 */
const port = parentPort;
if (port) {
  const db = getDb();
  let reported = false;
  port.on("message", (message: { eventId: string; type: string; requestId?: string }) => {
    db.then(
      (handle) => void enqueueStripeEvent(handle, message.eventId, { type: message.type, requestId: message.requestId }),
      (error: unknown) => {
        if (reported) return;
        reported = true;
        console.error("[tally] the webhook processing thread cannot reach the database; the sweeper processes recorded events:", error instanceof Error ? error.message : error);
      },
    );
  });
}
