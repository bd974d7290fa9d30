import { eq } from "drizzle-orm";
import { customers, testClocks, type Address } from "@/db/schema";
import type { CustomerRow } from "@/db/queries/customers";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { normalizeCurrency } from "@/lib/money";
import { isValidTimeZone } from "@/lib/time";
import type { ServiceContext } from "../context";

export interface CreateCustomerInput {
  email: string;
  name?: string | null;
  currency: string;
  timezone?: string;
  /** BCP 47 tags, best first (checked by the API). */
  preferredLocales?: string[];
  address?: Address;
  externalId?: string | null;
  testClockId?: string | null;
  metadata?: Record<string, string>;
}

export async function createCustomer(ctx: ServiceContext, input: CreateCustomerInput): Promise<CustomerRow> {
  const currency = normalizeCurrency(input.currency);
  const timezone = input.timezone ?? "UTC";
  if (!isValidTimeZone(timezone)) {
    throw new AppError("validation_failed", { param: "timezone", userMessage: "timezone must be an IANA time zone such as Australia/Sydney." });
  }
  return ctx.db.transaction(async (tx) => {
    let createdAt = ctx.now;
    if (input.testClockId) {
      const [clock] = await tx.select().from(testClocks).where(eq(testClocks.id, input.testClockId));
      if (!clock) throw notFound("test clock", "test_clock");
      createdAt = clock.frozenTime;
    }
    if (input.externalId) {
      const [dupe] = await tx.select({ id: customers.id }).from(customers).where(eq(customers.externalId, input.externalId));
      if (dupe) throw new AppError("conflict", { param: "external_id", userMessage: "A customer with this external_id already exists." });
    }
    const [row] = await tx
      .insert(customers)
      .values({
        id: newId("customer"),
        email: input.email.trim().toLowerCase(),
        name: input.name ?? null,
        currency,
        timezone,
        preferredLocales: input.preferredLocales ?? [],
        address: input.address ?? {},
        externalId: input.externalId ?? null,
        testClockId: input.testClockId ?? null,
        livemode: ctx.actor.type === "api_key" ? ctx.actor.livemode : false,
        metadata: input.metadata ?? {},
        createdAt,
      })
      .returning();
    if (!row) throw new Error("customer insert returned nothing");
    await recordAudit(tx, ctx.actor, { action: "customer.created", entityType: "customer", entityId: row.id, after: row }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "customer.created", customerId: row.id, entityId: row.id, payload: { customer: row.id } }, ctx.now);
    return row;
  });
}
