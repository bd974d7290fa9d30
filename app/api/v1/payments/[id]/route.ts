import { eq } from "drizzle-orm";
import { payments } from "@/db/schema";
import { apiRoute } from "@/lib/api/handler";
import { retrievePaymentOp } from "@/lib/api/operations/payments";
import { toPayment } from "@/lib/api/resources/payment";
import { notFound } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrievePaymentOp, async ({ db, apiKey, params }) => {
  const [row] = await db.select().from(payments).where(eq(payments.id, params.id));
  if (!row || row.livemode !== apiKey.livemode) throw notFound("payment", "id");
  return toPayment(row);
});
