import { findCustomer } from "@/db/queries/customers";
import { notFound } from "@/lib/errors";
import { gateway, type SetupIntent } from "@/lib/payments";
import type { ServiceContext } from "../context";
import { limitCardSetup, refuseBlocked } from "./card-testing";
import { gatewayCustomerId } from "./gateway-customer";

/**
 * Start saving a card in the browser (Stripe: a SetupIntent for the Payment Element), behind the
 * card-testing protections: per-customer and per-address limits, and the block list.
 */
export async function startCardSetup(ctx: ServiceContext, input: { customerId: string; ip: string | null }): Promise<SetupIntent> {
  const customer = await findCustomer(ctx.db, input.customerId);
  if (!customer) throw notFound("customer", "customer");
  await limitCardSetup({ customerId: customer.id, ip: input.ip });
  await refuseBlocked(ctx.db, ctx.actor, { customerId: customer.id, email: customer.email, ip: input.ip }, ctx.now);
  return gateway().createSetupIntent({ customerId: customer.id, customerGatewayId: await gatewayCustomerId(ctx.db, customer) });
}
