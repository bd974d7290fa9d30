import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { customers, invoices, paymentMethods, payments, subscriptions } from "@/db/schema";
import { checkout } from "@/lib/services/checkout/checkout";
import { addCard } from "@/lib/services/payment-methods/add-card";
import { makePlan, makeCustomer } from "../factories";
import { ctx } from "../services/support";

/**
 * Item: a card that fails at setup is not saved (sandbox). 4000 0000 0000 0002 entered in the
 * portal — adding a card, or at checkout — is refused in the bank's words: not stored, never the
 * default, the previous default unchanged, and checkout starts nothing.
 */
let db: Db;
let priceId: string;

beforeAll(async () => {
  db = await getDb();
  ({ priceId } = await makePlan(db, { code: "starter", unitAmount: 1000 }));
});

async function state(customerId: string) {
  const [customer] = await db.select().from(customers).where(eq(customers.id, customerId));
  return {
    defaultPaymentMethodId: customer?.defaultPaymentMethodId ?? null,
    cards: (await db.select().from(paymentMethods).where(eq(paymentMethods.customerId, customerId))).map((c) => c.last4),
    subscriptions: await db.select().from(subscriptions).where(eq(subscriptions.customerId, customerId)),
    invoices: await db.select().from(invoices).where(eq(invoices.customerId, customerId)),
    payments: await db.select().from(payments).where(eq(payments.customerId, customerId)),
  };
}

describe("a card declined at setup is not saved (sandbox)", () => {
  it("checkout with …0002 and a saved 4242: declined in words, nothing saved or started, the default unchanged", async () => {
    const customer = await makeCustomer(ctx(db), { card: "pm_card_visa" });
    const result = await checkout(ctx(db), { customerId: customer.id, priceId, token: "pm_card_chargeDeclined", ip: null });
    expect(result).toEqual({ subscription: null, invoice: null, declineMessage: "Your card was declined. Please try another card.", confirmPath: null });
    const after = await state(customer.id);
    expect(after.cards).toEqual(["4242"]);
    expect(after.defaultPaymentMethodId).toBe(customer.defaultPaymentMethodId);
    expect(after.subscriptions).toEqual([]);
    expect(after.invoices).toEqual([]);
    expect(after.payments).toEqual([]);
  });

  it("checkout with …0002 and no card, then 4242: one subscription, one invoice, only 4242 saved", async () => {
    const customer = await makeCustomer(ctx(db), { card: null });
    const declined = await checkout(ctx(db), { customerId: customer.id, priceId, token: "pm_card_chargeDeclined", ip: null });
    expect(declined.declineMessage).toBe("Your card was declined. Please try another card.");
    expect((await state(customer.id)).defaultPaymentMethodId).toBeNull();
    const paid = await checkout(ctx(db), { customerId: customer.id, priceId, token: "pm_card_visa", ip: null });
    expect(paid.subscription?.status).toBe("active");
    const after = await state(customer.id);
    expect(after.cards).toEqual(["4242"]);
    expect(after.subscriptions).toHaveLength(1);
    expect(after.invoices.map((i) => i.status)).toEqual(["paid"]);
  });

  it("adding …0002 in the portal as the default while 4242 is the default: refused, the default stays 4242", async () => {
    const customer = await makeCustomer(ctx(db), { card: "pm_card_visa" });
    const result = await addCard(ctx(db), { customerId: customer.id, token: "pm_card_chargeDeclined", makeDefault: true, ip: null });
    expect(result).toEqual({ status: "declined", message: "Your card was declined. Your card was not saved. Please try another card." });
    const after = await state(customer.id);
    expect(after.cards).toEqual(["4242"]);
    expect(after.defaultPaymentMethodId).toBe(customer.defaultPaymentMethodId);
  });
});
