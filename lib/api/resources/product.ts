import { z } from "zod";
import type { ProductRow } from "@/db/queries/catalog";
import { iso, metadataOut, timestamp } from "./common";

export const productResource = z
  .object({
    id: z.string(),
    object: z.literal("product"),
    name: z.string(),
    description: z.string().nullable(),
    active: z.boolean(),
    metadata: metadataOut,
    created: timestamp,
  })
  .meta({ id: "Product" });

export function toProduct(row: ProductRow): z.input<typeof productResource> {
  return {
    id: row.id,
    object: "product",
    name: row.name,
    description: row.description,
    active: row.active,
    metadata: row.metadata,
    created: iso(row.createdAt),
  };
}
