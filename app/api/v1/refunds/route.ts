import { and, eq } from "drizzle-orm";
import { refunds } from "@/db/schema";
import { keysetPage } from "@/db/queries/paginate";
import { apiRoute } from "@/lib/api/handler";
import { createRefundOp, listRefundsOp } from "@/lib/api/operations/payments";
import { toList } from "@/lib/api/pagination";
import { toRefund } from "@/lib/api/resources/refund";
import { refundPayment } from "@/lib/services/payments/refund-payment";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createRefundOp, async ({ db, actor, apiKey, now, requestId, body }) => {
  const [refund] = await refundPayment({ db, actor, now, requestId }, { paymentId: body.payment, amount: body.amount, reason: body.reason, livemode: apiKey.livemode });
  if (!refund) throw new Error("refund not recorded");
  return toRefund(refund);
});

export const GET = apiRoute(listRefundsOp, async ({ db, apiKey, query, req }) => {
  const where = and(
    eq(refunds.livemode, apiKey.livemode),
    query.payment ? eq(refunds.paymentId, query.payment) : undefined,
    query.invoice ? eq(refunds.invoiceId, query.invoice) : undefined,
  );
  const { rows, direction } = await keysetPage(db, refunds, where, { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  return toList(rows.map(toRefund), query.limit, new URL(req.url).pathname, direction);
});
