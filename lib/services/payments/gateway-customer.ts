import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { customers } from "@/db/schema";
import { findCustomer } from "@/db/queries/customers";
import { notFound } from "@/lib/errors";
import { gateway } from "@/lib/payments";

/** The customer's id at the gateway, created on first use and remembered. */
export async function gatewayCustomerId(db: Db, customerId: string): Promise<string> {
  const customer = await findCustomer(db, customerId);
  if (!customer) throw notFound("customer", "customer");
  const id = await gateway().ensureCustomer({ customerId: customer.id, email: customer.email, name: customer.name, existing: customer.gatewayCustomerId });
  if (id !== customer.gatewayCustomerId) await db.update(customers).set({ gatewayCustomerId: id }).where(eq(customers.id, customer.id));
  return id;
}
