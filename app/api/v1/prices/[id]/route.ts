import { findPrice } from "@/db/queries/catalog";
import { apiRoute } from "@/lib/api/handler";
import { retrievePriceOp } from "@/lib/api/operations/catalog";
import { toPrice } from "@/lib/api/resources/plan";
import { notFound } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrievePriceOp, async ({ db, params }) => {
  const price = await findPrice(db, params.id);
  if (!price) throw notFound("price", "id");
  return toPrice(price);
});
