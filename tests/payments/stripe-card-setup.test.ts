import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { customers, invoices, paymentMethods, subscriptions } from "@/db/schema";
import { checkout } from "@/lib/services/checkout/checkout";
import { addCard } from "@/lib/services/payment-methods/add-card";
import type { InjectedError } from "../fake-stripe/server";
import { withFakeStripe } from "../fake-stripe/with-fake-stripe";
import { makePlan, makeCustomer } from "../factories";
import { ctx } from "../services/support";

/**
 * Item: a card that fails at setup is not saved — with Stripe. Stripe refuses to attach a card its
 * bank declines (402 card_error on `POST /v1/payment_methods/{id}/attach`): Tally saves nothing,
 * keeps the default, and says why; checkout starts nothing.
 */
const fake = withFakeStripe({ timeoutMs: 2_000 });
let db: Db;
let priceId: string;
const DECLINE: InjectedError = { status: 402, type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." };
const isAttach = (r: { method: string; path: string }) => r.method === "POST" && r.path.endsWith("/attach");

beforeAll(async () => {
  db = await getDb();
  ({ priceId } = await makePlan(db, { code: "starter", unitAmount: 1000 }));
});

async function cardsAndDefault(customerId: string) {
  const [customer] = await db.select().from(customers).where(eq(customers.id, customerId));
  const cards = await db.select().from(paymentMethods).where(eq(paymentMethods.customerId, customerId));
  return { defaultPaymentMethodId: customer?.defaultPaymentMethodId ?? null, cards: cards.map((c) => c.last4) };
}

describe("a card Stripe declines at attach is not saved", () => {
  it("adding it in the portal: declined in the bank's words, not stored, the default unchanged", async () => {
    const customer = await makeCustomer(ctx(db), { card: "pm_card_visa" });
    fake().failNextWith(1, DECLINE, isAttach);
    const result = await addCard(ctx(db), { customerId: customer.id, token: "pm_card_mastercard", makeDefault: true, ip: null });
    expect(result).toEqual({ status: "declined", message: "Your card was declined. Your card was not saved. Please try another card." });
    expect(await cardsAndDefault(customer.id)).toEqual({ defaultPaymentMethodId: customer.defaultPaymentMethodId, cards: ["4242"] });
  });

  it("at checkout: declined in words, nothing saved or started", async () => {
    const customer = await makeCustomer(ctx(db), { card: "pm_card_visa" });
    fake().failNextWith(1, DECLINE, isAttach);
    const result = await checkout(ctx(db), { customerId: customer.id, priceId, token: "pm_card_mastercard", ip: null });
    expect(result).toMatchObject({ subscription: null, declineMessage: "Your card was declined. Please try another card." });
    expect(await cardsAndDefault(customer.id)).toEqual({ defaultPaymentMethodId: customer.defaultPaymentMethodId, cards: ["4242"] });
    expect(await db.select().from(subscriptions).where(eq(subscriptions.customerId, customer.id))).toEqual([]);
    expect(await db.select().from(invoices).where(eq(invoices.customerId, customer.id))).toEqual([]);
  });
});
