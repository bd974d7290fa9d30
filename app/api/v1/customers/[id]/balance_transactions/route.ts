import { eq } from "drizzle-orm";
import { balanceTransactions } from "@/db/schema";
import { keysetPage } from "@/db/queries/paginate";
import { apiRoute } from "@/lib/api/handler";
import { listBalanceTransactionsOp } from "@/lib/api/operations/customers";
import { toList } from "@/lib/api/pagination";
import { toBalanceTransaction } from "@/lib/api/resources/balance-transaction";
import { customerForKey } from "@/lib/api/scope";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listBalanceTransactionsOp, async ({ db, apiKey, params, query, req }) => {
  await customerForKey(db, params.id, apiKey.livemode);
  const { rows, direction } = await keysetPage(db, balanceTransactions, eq(balanceTransactions.customerId, params.id), {
    limit: query.limit,
    startingAfter: query.starting_after,
    endingBefore: query.ending_before,
  });
  return toList(rows.map((r) => toBalanceTransaction(r, apiKey.livemode)), query.limit, new URL(req.url).pathname, direction);
});
