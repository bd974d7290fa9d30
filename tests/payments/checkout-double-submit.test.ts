import { describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { invoices, payments, sandboxCharges, subscriptions } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { checkout } from "@/lib/services/checkout/checkout";
import { createCustomer } from "@/lib/services/customers/create-customer";
import { makePlan } from "../factories";

describe("R1: a double click on Pay", () => {
  it.skipIf(!process.env.DATABASE_URL)("two checkouts submitted at once start one subscription and charge once (needs PostgreSQL)", async () => {
    const db = await getDb();
    const ctx = { db, actor: systemActor("test"), now: new Date("2026-11-21T00:00:00Z") };
    const customer = await createCustomer(ctx, { email: "double@example.com", currency: "aud", timezone: "Australia/Sydney", address: { country: "AU" } });
    const { priceId } = await makePlan(db, { code: "starter", unitAmount: 1000 });
    const results = await Promise.all([
      checkout(ctx, { customerId: customer.id, priceId, token: "pm_card_visa" }),
      checkout(ctx, { customerId: customer.id, priceId, token: "pm_card_visa" }),
    ]);
    expect(results.map((r) => r.subscription?.id)[0]).toBe(results[1]!.subscription?.id);
    const subs = await db.select().from(subscriptions).where(eq(subscriptions.customerId, customer.id));
    expect(subs).toHaveLength(1);
    expect(subs[0]?.status).toBe("active");
    const invs = await db.select().from(invoices).where(eq(invoices.customerId, customer.id));
    expect(invs).toHaveLength(1);
    const pays = await db.select().from(payments).where(eq(payments.invoiceId, invs[0]!.id));
    expect(pays.filter((p) => p.status === "succeeded")).toHaveLength(1);
    expect(await db.select().from(sandboxCharges).where(inArray(sandboxCharges.idempotencyKey, pays.map((p) => p.idempotencyKey)))).toHaveLength(1);
  });

  it("a second submit after the first finished answers with the same subscription, not an error", async () => {
    const db = await getDb();
    const ctx = { db, actor: systemActor("test"), now: new Date("2026-11-21T00:00:00Z") };
    const customer = await createCustomer(ctx, { email: "again@example.com", currency: "aud", timezone: "Australia/Sydney", address: { country: "AU" } });
    const { priceId } = await makePlan(db, { code: "starter", unitAmount: 1000 });
    const first = await checkout(ctx, { customerId: customer.id, priceId, token: "pm_card_visa" });
    const again = await checkout(ctx, { customerId: customer.id, priceId });
    expect(again.subscription?.id).toBe(first.subscription?.id);
    expect(first.subscription?.status).toBe("active");
    expect(await db.select().from(subscriptions).where(eq(subscriptions.customerId, customer.id))).toHaveLength(1);
    // Another plan while subscribed is a plan change, not a second checkout.
    const other = await makePlan(db, { code: "pro", unitAmount: 2900 });
    await expect(checkout(ctx, { customerId: customer.id, priceId: other.priceId })).rejects.toMatchObject({ code: "conflict" });
  });
});
