import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { findCustomer, type CustomerRow } from "@/db/queries/customers";
import { requirePageUser, type SessionUser } from "@/lib/auth/session";

/** The signed-in subscriber and the one customer they may see; every portal page starts here. */
export async function portalCustomer(): Promise<{ user: SessionUser; customer: CustomerRow }> {
  const user = await requirePageUser("portal.self");
  if (!user.customerId) notFound();
  const customer = await findCustomer(await getDb(), user.customerId);
  if (!customer) notFound();
  return { user, customer };
}
