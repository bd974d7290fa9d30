import { and, eq } from "drizzle-orm";
import { keysetPage } from "@/db/queries/paginate";
import { receipts } from "@/db/schema";
import { apiRoute } from "@/lib/api/handler";
import { listReceiptsOp } from "@/lib/api/operations/receipts";
import { toList } from "@/lib/api/pagination";
import { toReceipt } from "@/lib/api/resources/receipt";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listReceiptsOp, async ({ db, apiKey, query, req }) => {
  const where = and(
    eq(receipts.livemode, apiKey.livemode),
    query.customer ? eq(receipts.customerId, query.customer) : undefined,
    query.invoice ? eq(receipts.invoiceId, query.invoice) : undefined,
    query.payment ? eq(receipts.paymentId, query.payment) : undefined,
  );
  const { rows, direction } = await keysetPage(db, receipts, where, { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  return toList(rows.map(toReceipt), query.limit, new URL(req.url).pathname, direction);
});
