import type { Db } from "@/db/client";
import type { OutboxEvent } from "@/lib/events/outbox";
import { sendReceipt } from "./send-receipt";

type Handler = (db: Db, event: OutboxEvent) => Promise<void>;

/** What each event causes after commit. Events without a handler are kept for outbound webhooks. */
const handlers: Record<string, Handler> = {
  "invoice.paid": sendReceipt,
};

export function outboxHandler(db: Db) {
  return async (event: OutboxEvent): Promise<void> => {
    await handlers[event.type]?.(db, event);
  };
}
