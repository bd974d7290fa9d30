import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { customers } from "@/db/schema";
import type { CustomerRow } from "@/db/queries/customers";
import { gateway } from "@/lib/payments";

/** The customer's id at the gateway, created on first use and remembered. */
export async function gatewayCustomerId(db: Db, customer: Pick<CustomerRow, "id" | "email" | "name" | "gatewayCustomerId">): Promise<string> {
  const id = await gateway().ensureCustomer({ customerId: customer.id, email: customer.email, name: customer.name, existing: customer.gatewayCustomerId });
  if (id !== customer.gatewayCustomerId) await db.update(customers).set({ gatewayCustomerId: id }).where(eq(customers.id, customer.id));
  return id;
}
