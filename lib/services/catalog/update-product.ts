import { eq } from "drizzle-orm";
import { products } from "@/db/schema";
import { lockProduct, type ProductRow } from "@/db/queries/catalog";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";

export interface UpdateProductInput {
  name?: string;
  description?: string | null;
  active?: boolean;
  /** Merged into the existing metadata, key by key. */
  metadata?: Record<string, string>;
}

export async function updateProduct(ctx: ServiceContext, productId: string, input: UpdateProductInput): Promise<ProductRow> {
  return ctx.db.transaction(async (tx) => {
    const before = await lockProduct(tx, productId);
    if (!before) throw notFound("product", "id");
    const changes = {
      name: input.name,
      description: input.description,
      active: input.active,
      metadata: input.metadata ? { ...before.metadata, ...input.metadata } : undefined,
    };
    if (Object.values(changes).every((v) => v === undefined)) return before;
    const [after] = await tx.update(products).set(changes).where(eq(products.id, productId)).returning();
    if (!after) throw new Error("product vanished");
    await recordAudit(tx, ctx.actor, { action: "product.updated", entityType: "product", entityId: productId, before, after }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "product.updated", entityId: productId, payload: { product: productId } }, ctx.now);
    return after;
  });
}
