import type { Executor } from "@/db/client";
import { findCustomer, type CustomerRow } from "@/db/queries/customers";
import { notFound } from "@/lib/errors";

/** A key sees only objects of its own mode: a live object through a test key is simply not found. */
export async function customerForKey(tx: Executor, id: string, livemode: boolean, param = "id"): Promise<CustomerRow> {
  const customer = await findCustomer(tx, id);
  if (!customer || customer.livemode !== livemode) throw notFound("customer", param);
  return customer;
}
