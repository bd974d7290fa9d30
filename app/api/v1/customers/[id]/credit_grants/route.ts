import { apiRoute } from "@/lib/api/handler";
import { createCreditGrantOp } from "@/lib/api/operations/customers";
import { toBalanceTransaction } from "@/lib/api/resources/balance-transaction";
import { customerForKey } from "@/lib/api/scope";
import { grantCredit } from "@/lib/services/balance/grant-credit";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createCreditGrantOp, async ({ db, actor, apiKey, now, requestId, params, body }) => {
  await customerForKey(db, params.id, apiKey.livemode);
  const entry = await grantCredit({ db, actor, now, requestId }, { customerId: params.id, amount: body.amount, currency: body.currency, reason: body.reason });
  return toBalanceTransaction(entry, apiKey.livemode);
});
