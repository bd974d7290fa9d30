import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, blockList, paymentMethods } from "@/db/schema";
import { eq } from "drizzle-orm";
import { systemActor } from "@/lib/actor";
import { newId } from "@/lib/ids";
import { createCustomer } from "@/lib/services/customers/create-customer";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { createHash } from "node:crypto";

async function setup(email: string) {
  const db = await getDb();
  const ctx = { db, actor: systemActor("test"), now: new Date("2026-11-21T00:00:00Z") };
  const customer = await createCustomer(ctx, { email, currency: "aud", timezone: "Australia/Sydney" });
  return { db, ctx, customer };
}

describe("card-testing protection", () => {
  it("limits card setups per customer from the portal (the API is not limited), with a 429 past the limit", async () => {
    const { ctx, customer } = await setup("tester@example.com");
    for (let i = 0; i < 10; i++) await attachPaymentMethod(ctx, { customerId: customer.id, token: "pm_card_visa", ip: "203.0.113.50" });
    await expect(attachPaymentMethod(ctx, { customerId: customer.id, token: "pm_card_visa", ip: "203.0.113.51" })).rejects.toMatchObject({ code: "rate_limited" });
    await expect(attachPaymentMethod(ctx, { customerId: customer.id, token: "pm_card_visa" })).resolves.toMatchObject({ last4: "4242" });
  });

  it("refuses blocked emails, addresses and card fingerprints without saying which, and audits the refusal", async () => {
    const { db, ctx, customer } = await setup("fraud@example.com");
    await db.insert(blockList).values({ id: newId("blockListEntry"), kind: "email", value: "fraud@example.com" });
    await expect(attachPaymentMethod(ctx, { customerId: customer.id, token: "pm_card_visa" })).rejects.toMatchObject({ code: "forbidden", userMessage: expect.stringContaining("can't be added") });

    const other = await setup("clean@example.com");
    const fingerprint = createHash("sha256").update("4000000000000259").digest("hex").slice(0, 16);
    await db.insert(blockList).values({ id: newId("blockListEntry"), kind: "card_fingerprint", value: fingerprint });
    await expect(attachPaymentMethod(other.ctx, { customerId: other.customer.id, token: "pm_card_createDispute" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(attachPaymentMethod(other.ctx, { customerId: other.customer.id, token: "pm_card_visa" })).resolves.toBeTruthy();
    await db.insert(blockList).values({ id: newId("blockListEntry"), kind: "ip", value: "198.51.100.66" });
    await expect(attachPaymentMethod(other.ctx, { customerId: other.customer.id, token: "pm_card_visa", ip: "198.51.100.66" })).rejects.toMatchObject({ code: "forbidden" });

    expect(await db.select().from(paymentMethods).where(eq(paymentMethods.customerId, other.customer.id))).toHaveLength(1);
    expect((await db.select().from(auditLog).where(eq(auditLog.action, "card_setup.blocked"))).length).toBe(3);
  });
});
