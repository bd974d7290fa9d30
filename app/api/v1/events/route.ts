import { and, eq, inArray, sql } from "drizzle-orm";
import { outboxEvents } from "@/db/schema";
import { keysetPage } from "@/db/queries/paginate";
import { webhookEventTypes } from "@/lib/events/catalog/events";
import { eventLivemode } from "@/lib/events/livemode";
import { apiRoute } from "@/lib/api/handler";
import { listEventsOp } from "@/lib/api/operations/webhooks";
import { toList } from "@/lib/api/pagination";
import { toEvent } from "@/lib/api/resources/webhooks";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listEventsOp, async ({ db, apiKey, query, req }) => {
  const where = and(inArray(outboxEvents.type, [...webhookEventTypes]), sql`${eventLivemode} = ${apiKey.livemode}`, query.type ? eq(outboxEvents.type, query.type) : undefined);
  const { rows, direction } = await keysetPage(db, outboxEvents, where, { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  return toList(rows.map((row) => toEvent(row, apiKey.livemode)), query.limit, new URL(req.url).pathname, direction);
});
