import { products } from "@/db/schema";
import type { ProductRow } from "@/db/queries/catalog";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "../context";

export interface CreateProductInput {
  name: string;
  description?: string | null;
  active?: boolean;
  metadata?: Record<string, string>;
}

/** Catalog objects are shared by test and live mode: they describe what is sold, not who bought it. */
export async function createProduct(ctx: ServiceContext, input: CreateProductInput): Promise<ProductRow> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(products)
      .values({
        id: newId("product"),
        name: input.name,
        description: input.description ?? null,
        active: input.active ?? true,
        metadata: input.metadata ?? {},
        createdAt: ctx.now,
      })
      .returning();
    if (!row) throw new Error("product insert returned nothing");
    await recordAudit(tx, ctx.actor, { action: "product.created", entityType: "product", entityId: row.id, after: row }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "product.created", entityId: row.id, payload: { product: row.id } }, ctx.now);
    return row;
  });
}
