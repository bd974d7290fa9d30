import { and, eq, inArray, sql } from "drizzle-orm";
import { outboxEvents } from "@/db/schema";
import { webhookEventTypes } from "@/lib/events/catalog/events";
import { eventLivemode } from "@/lib/events/livemode";
import { apiRoute } from "@/lib/api/handler";
import { retrieveEventOp } from "@/lib/api/operations/webhooks";
import { toEvent } from "@/lib/api/resources/webhooks";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrieveEventOp, async ({ db, apiKey, params }) => {
  // An event of the other mode is not found, as any object of the other mode.
  const [row] = await db.select().from(outboxEvents).where(and(eq(outboxEvents.id, params.id), inArray(outboxEvents.type, [...webhookEventTypes]), sql`${eventLivemode} = ${apiKey.livemode}`));
  if (!row) throw new AppError("not_found", { param: "id", userMessage: `No such event: ${params.id}.` });
  return toEvent(row, apiKey.livemode);
});
