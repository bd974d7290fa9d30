import { apiRoute } from "@/lib/api/handler";
import { upcomingInvoiceOp } from "@/lib/api/operations/subscriptions";
import { toUpcomingInvoice } from "@/lib/api/resources/upcoming-invoice";
import { subscriptionForKey } from "@/lib/api/scope";
import { upcomingInvoice } from "@/lib/services/subscriptions/preview";

export const dynamic = "force-dynamic";

export const GET = apiRoute(upcomingInvoiceOp, async ({ db, actor, apiKey, now, requestId, query }) => {
  await subscriptionForKey(db, query.subscription, apiKey.livemode);
  return toUpcomingInvoice(query.subscription, await upcomingInvoice({ db, actor, now, requestId }, query.subscription));
});
