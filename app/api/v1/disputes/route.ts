import { and, eq } from "drizzle-orm";
import { disputes } from "@/db/schema";
import { keysetPage } from "@/db/queries/paginate";
import { apiRoute } from "@/lib/api/handler";
import { listDisputesOp } from "@/lib/api/operations/disputes";
import { toList } from "@/lib/api/pagination";
import { toDispute } from "@/lib/api/resources/dispute";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listDisputesOp, async ({ db, apiKey, query, req }) => {
  const where = and(
    eq(disputes.livemode, apiKey.livemode),
    query.payment ? eq(disputes.paymentId, query.payment) : undefined,
    query.customer ? eq(disputes.customerId, query.customer) : undefined,
  );
  const { rows, direction } = await keysetPage(db, disputes, where, { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  return toList(rows.map(toDispute), query.limit, new URL(req.url).pathname, direction);
});
