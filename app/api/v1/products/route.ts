import { eq } from "drizzle-orm";
import { products } from "@/db/schema";
import { keysetPage } from "@/db/queries/paginate";
import { apiRoute } from "@/lib/api/handler";
import { createProductOp, listProductsOp } from "@/lib/api/operations/catalog";
import { toList } from "@/lib/api/pagination";
import { toProduct } from "@/lib/api/resources/product";
import { createProduct } from "@/lib/services/catalog/create-product";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createProductOp, async ({ db, actor, now, requestId, body }) => {
  const row = await createProduct({ db, actor, now, requestId }, { name: body.name, description: body.description, active: body.active, metadata: body.metadata });
  return toProduct(row);
});

export const GET = apiRoute(listProductsOp, async ({ db, query, req }) => {
  const where = query.active ? eq(products.active, query.active === "true") : undefined;
  const { rows, direction } = await keysetPage(db, products, where, { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  return toList(rows.map(toProduct), query.limit, new URL(req.url).pathname, direction);
});
