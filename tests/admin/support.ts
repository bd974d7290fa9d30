import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { payments, type Role } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { randomToken } from "@/lib/ids";
import type { ServiceContext } from "@/lib/services/context";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { createUser } from "@/lib/services/users/create-user";
import { makeCatalog, makeCustomer } from "../factories";
import { ctx as systemCtx, NOW } from "../services/support";

export { NOW, makeCatalog, makeCustomer };

/** A staff member of `role`, and a service context acting as them. */
export async function staff(db: Db, role: Role, now: Date = NOW): Promise<{ userId: string; email: string; ctx: ServiceContext }> {
  const email = `${role}-${randomToken(6).toLowerCase()}@staff.test`;
  const user = await createUser(systemCtx(db, now), { email, role, name: `${role} person` });
  const actor: Actor = { type: "user", id: user.id, role, customerId: null };
  return { userId: user.id, email, ctx: { db, actor, now } };
}

/** An AUD customer with a card, subscribed to a plan of `unitAmount` (GST-inclusive), its first invoice paid. */
export async function paidCustomer(db: Db, now: Date = NOW) {
  const catalog = await makeCatalog(db);
  const system = systemCtx(db, now);
  const customer = await makeCustomer(system);
  const { subscription, invoice } = await createSubscription(system, { customerId: customer.id, items: [{ priceId: catalog.audTrial.id, quantity: 1 }], trialPeriodDays: 0 });
  if (!invoice) throw new Error("no first invoice");
  const [payment] = await db.select().from(payments).where(eq(payments.invoiceId, invoice.id));
  if (!payment) throw new Error("no payment");
  return { catalog, customer, subscription, invoice, payment };
}
