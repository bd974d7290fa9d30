import { and, eq } from "drizzle-orm";
import { meters } from "@/db/schema";
import { keysetPage } from "@/db/queries/paginate";
import { apiRoute } from "@/lib/api/handler";
import { createMeterOp, listMetersOp } from "@/lib/api/operations/usage";
import { toList } from "@/lib/api/pagination";
import { toMeter } from "@/lib/api/resources/meter";
import { createMeter } from "@/lib/services/usage/create-meter";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createMeterOp, async ({ db, actor, now, requestId, body }) => {
  const row = await createMeter(
    { db, actor, now, requestId },
    {
      code: body.code,
      name: body.name ?? body.code,
      aggregation: body.aggregation,
      valueProperty: body.value_property,
      uniqueProperty: body.unique_property,
      filters: body.filters,
    },
  );
  return toMeter(row);
});

export const GET = apiRoute(listMetersOp, async ({ db, apiKey, query, req }) => {
  const where = and(
    eq(meters.livemode, apiKey.livemode),
    query.code === undefined ? undefined : eq(meters.code, query.code),
    query.active === undefined ? undefined : eq(meters.active, query.active === "true"),
  );
  const { rows, direction } = await keysetPage(db, meters, where, { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  return toList(rows.map(toMeter), query.limit, new URL(req.url).pathname, direction);
});
