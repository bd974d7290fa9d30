import { and, eq, inArray } from "drizzle-orm";
import { outboxEvents } from "@/db/schema";
import { keysetPage } from "@/db/queries/paginate";
import { webhookEventTypes } from "@/lib/events/catalog/events";
import { apiRoute } from "@/lib/api/handler";
import { listEventsOp } from "@/lib/api/operations/webhooks";
import { toList } from "@/lib/api/pagination";
import { toEvent } from "@/lib/api/resources/webhooks";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listEventsOp, async ({ db, query, req }) => {
  const where = and(inArray(outboxEvents.type, [...webhookEventTypes]), query.type ? eq(outboxEvents.type, query.type) : undefined);
  const { rows, direction } = await keysetPage(db, outboxEvents, where, { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  return toList(rows.map(toEvent), query.limit, new URL(req.url).pathname, direction);
});
