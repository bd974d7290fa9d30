import { findReceipt } from "@/db/queries/receipts";
import { apiRoute } from "@/lib/api/handler";
import { retrieveReceiptOp } from "@/lib/api/operations/receipts";
import { toReceipt } from "@/lib/api/resources/receipt";
import { notFound } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrieveReceiptOp, async ({ db, apiKey, params }) => {
  const row = await findReceipt(db, params.id);
  if (!row || row.livemode !== apiKey.livemode) throw notFound("receipt", "id");
  return toReceipt(row);
});
