import { findProduct } from "@/db/queries/catalog";
import { apiRoute } from "@/lib/api/handler";
import { retrieveProductOp, updateProductOp } from "@/lib/api/operations/catalog";
import { toProduct } from "@/lib/api/resources/product";
import { notFound } from "@/lib/errors";
import { updateProduct } from "@/lib/services/catalog/update-product";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrieveProductOp, async ({ db, params }) => {
  const row = await findProduct(db, params.id);
  if (!row) throw notFound("product", "id");
  return toProduct(row);
});

export const PATCH = apiRoute(updateProductOp, async ({ db, actor, now, requestId, params, body }) => {
  const row = await updateProduct(
    { db, actor, now, requestId },
    params.id,
    { name: body.name, description: body.description, active: body.active, metadata: body.metadata },
  );
  return toProduct(row);
});
