import { beforeAll, describe, expect, it } from "vitest";
import { getDb, inTextArray, type Db } from "@/db/client";
import { sandboxCharges } from "@/db/schema";
import { randomToken } from "@/lib/ids";
import { gateway, type ChargeRequest } from "@/lib/payments";
import { currenciesWithMinimum, minimumChargeAmount } from "@/lib/payments/charge-minimums";
import { sandboxGateway } from "@/lib/payments/sandbox/sandbox-gateway";
import { gatewayCustomerId } from "@/lib/services/payments/gateway-customer";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { isCreateIntent } from "../fake-stripe/helpers";
import { balanceOf } from "../scenarios/support";
import { withFakeStripe } from "../fake-stripe/with-fake-stripe";
import { ctx } from "../services/support";
import { makePlan, makeCustomer } from "../factories";

/**
 * Stripe refuses a PaymentIntent below the currency's minimum charge (docs.stripe.com/currencies,
 * stripe-openapi/charge-minimums.json) with HTTP 400, invalid_request_error, code amount_too_small
 * on `amount`. The fake Stripe (driven through the real SDK by the Stripe adapter) and the sandbox
 * refuse exactly the same amounts the same way, and charge the minimum itself; so should Tally
 * ever try, it fails as it would on Stripe.
 */
const fake = withFakeStripe();
let db: Db;

beforeAll(async () => {
  db = await getDb();
});

/** The fields of the refusal both rails must share. */
const STRIPE_REFUSAL = { type: "StripeInvalidRequestError", rawType: "invalid_request_error", code: "amount_too_small", param: "amount", statusCode: 400 };

async function caught(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected the charge to be refused");
}

describe("charges below Stripe's minimum", () => {
  it("the fake Stripe refuses each currency's minimum less one minor unit with amount_too_small, and charges the minimum", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: null });
    const gw = gateway();
    expect(gw.name).toBe("stripe");
    const customerGatewayId = await gatewayCustomerId(db, customer);
    const card = await gw.attachPaymentMethod({ customerId: customer.id, customerGatewayId, token: "pm_card_visa" });
    const currencies = currenciesWithMinimum();
    expect(currencies).toEqual(expect.arrayContaining(["aud", "usd", "gbp", "jpy", "hkd", "mxn"]));
    for (const currency of currencies) {
      const minimum = minimumChargeAmount(currency)!;
      const charge = (amount: number) =>
        gw.charge({ amount, currency, paymentMethodGatewayId: card.gatewayId, customerId: customer.id, customerGatewayId, idempotencyKey: `min_${randomToken(12)}`, metadata: { test: currency } });
      const before = fake().requests.filter(isCreateIntent).length;
      // Stripe's refusal comes back from the adapter as a failed charge naming Stripe's reason (decision 022).
      const refusal = await charge(minimum - 1);
      expect(refusal, currency).toMatchObject({ status: "failed", failureCode: "gateway_refused", message: expect.stringMatching(/Amount must be at least /) });
      const sent = fake().requests.filter(isCreateIntent).slice(before);
      expect(sent.map((r) => r.status)).toEqual([400]);
      expect(await charge(minimum), currency).toMatchObject({ status: "succeeded" });
    }
  });

  it("the sandbox refuses the same amounts with the same error, records nothing for them, and charges the minimum", async () => {
    const card = await sandboxGateway.attachPaymentMethod({ customerId: "cus_minimums", token: "pm_card_visa" });
    const request = (currency: string, amount: number): ChargeRequest => ({
      amount,
      currency,
      paymentMethodGatewayId: card.gatewayId,
      customerId: "cus_minimums",
      idempotencyKey: `min_${randomToken(12)}`,
      metadata: {},
    });
    for (const currency of currenciesWithMinimum()) {
      const minimum = minimumChargeAmount(currency)!;
      const below = request(currency, minimum - 1);
      expect(await caught(() => sandboxGateway.charge(below)), currency).toMatchObject({ ...STRIPE_REFUSAL, message: expect.stringMatching(/^Amount must be at least /) });
      // In a batch (the billing run's call) the refusal takes the request's place; the rest is charged.
      const [refused, charged] = await sandboxGateway.chargeMany([request(currency, 1), request(currency, minimum)]);
      expect(refused, currency).toMatchObject(STRIPE_REFUSAL);
      expect(charged, currency).toMatchObject({ status: "succeeded" });
      // A refused request is not an idempotent result: nothing is stored under its key.
      expect(await db.select().from(sandboxCharges).where(inTextArray(sandboxCharges.idempotencyKey, [below.idempotencyKey]))).toEqual([]);
    }
  });

  it("with Stripe as the gateway, an A$0.30 invoice sends Stripe nothing: it is carried to the balance, and the next invoice's one charge collects it", async () => {
    const c = ctx(db);
    expect(gateway().name).toBe("stripe");
    const customer = await makeCustomer(c);
    const { priceId } = await makePlan(db, { code: "below-minimum-stripe", unitAmount: 30, currency: "aud", taxBehavior: "inclusive" });
    const intents = () => fake().requests.filter(isCreateIntent);
    const before = intents().length;

    const first = await createSubscription(c, { customerId: customer.id, items: [{ priceId, quantity: 1 }] });
    expect(first.invoice).toMatchObject({ status: "paid", amountDue: 30, amountPaid: 0, amountRemaining: 0, carriedToBalance: 30 });
    expect(intents().length).toBe(before);
    expect(await balanceOf(customer.id)).toBe(-30);

    const second = await createSubscription(c, { customerId: customer.id, items: [{ priceId, quantity: 1 }] });
    expect(second.invoice).toMatchObject({ status: "paid", debitApplied: 30, amountDue: 60, amountPaid: 60, carriedToBalance: 0 });
    expect(intents().slice(before).map((r) => [r.status, (r.params as { amount?: string }).amount])).toEqual([[200, "60"]]);
    expect(await balanceOf(customer.id)).toBe(0);
  });
});
