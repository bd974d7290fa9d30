import { apiRoute } from "@/lib/api/handler";
import { revenueWaterfallOp } from "@/lib/api/operations/revenue";
import { revenueSummary } from "@/lib/services/revenue/revenue-summary";

export const dynamic = "force-dynamic";

export const GET = apiRoute(revenueWaterfallOp, async ({ db, actor, now, requestId, query }) => {
  const r = await revenueSummary({ db, actor, now, requestId }, { month: query.month, currency: query.currency });
  return {
    object: "revenue_waterfall" as const,
    month: r.month,
    currency: r.currency,
    billed: r.billed,
    recognized: r.recognized,
    deferred_opening: r.deferredOpening,
    deferred_closing: r.deferredClosing,
    refunded: r.refunded,
  };
});
