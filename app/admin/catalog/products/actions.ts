"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { createProduct } from "@/lib/services/catalog/create-product";
import { updateProduct } from "@/lib/services/catalog/update-product";

const name = z.string().trim().min(1, "Enter a name.").max(200, "Keep the name under 200 characters.");
const description = z.string().trim().max(1000, "Keep the description under 1000 characters.").optional();

export const createProductAction = validatedAction("catalog.write", z.object({ name, description }), async (input, _user, ctx) => {
  const product = await createProduct(ctx, { name: input.name, description: input.description || null });
  revalidatePath("/admin/catalog/products");
  return { ok: true, message: `Created ${product.name}. Add plans to it on the Plans page.` };
});

export const updateProductAction = validatedAction(
  "catalog.write",
  z.object({ productId: z.string().min(1), name, description, active: z.enum(["true", "false"]) }),
  async (input, _user, ctx) => {
    const product = await updateProduct(ctx, input.productId, { name: input.name, description: input.description || null, active: input.active === "true" });
    redirect(`/admin/catalog/products?notice=${encodeURIComponent(`Saved ${product.name}.`)}`);
  },
);
