import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { sandboxCharges } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { randomToken } from "@/lib/ids";
import { mulDiv } from "@/lib/money";
import type { CardDetails, ChargeRequest, ChargeResult, PaymentGateway } from "../port";
import { testCardByToken, type TestCard } from "./test-cards";

const ONLY_TEST_CARDS =
  "The sandbox accepts only Stripe's test cards, such as 4242 4242 4242 4242. No real card number is ever accepted.";

/** Behaves like Stripe test mode, offline. */
export const sandboxGateway: PaymentGateway = {
  name: "sandbox",

  async attachPaymentMethod({ token }): Promise<CardDetails> {
    const card = testCardByToken(token);
    if (!card) throw new AppError("validation_failed", { param: "token", userMessage: ONLY_TEST_CARDS });
    return {
      gatewayId: `${card.token}:${randomToken(12)}`,
      brand: card.brand,
      last4: card.number.slice(-4),
      expMonth: 12,
      expYear: 2034,
      fingerprint: createHash("sha256").update(card.number).digest("hex").slice(0, 16),
    };
  },

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const db = await getDb();
    const requestHash = createHash("sha256")
      .update(JSON.stringify([request.amount, request.currency, request.paymentMethodGatewayId, request.customerId]))
      .digest("hex");
    const [existing] = await db.select().from(sandboxCharges).where(eq(sandboxCharges.idempotencyKey, request.idempotencyKey));
    if (existing) return replay(existing.requestHash, requestHash, existing.result);
    const result = decide(cardFor(request.paymentMethodGatewayId), request);
    const inserted = await db
      .insert(sandboxCharges)
      .values({ idempotencyKey: request.idempotencyKey, requestHash, result })
      .onConflictDoNothing()
      .returning();
    if (inserted.length > 0) return result;
    // A concurrent request with the same key won the insert: answer with its result, as Stripe does.
    const [winner] = await db.select().from(sandboxCharges).where(eq(sandboxCharges.idempotencyKey, request.idempotencyKey));
    if (!winner) throw new Error("sandbox charge vanished");
    return replay(winner.requestHash, requestHash, winner.result);
  },
};

function replay(storedHash: string, requestHash: string, result: unknown): ChargeResult {
  if (storedHash !== requestHash) {
    throw new Error("Keys for idempotent requests can only be used with the same parameters they were first used with.");
  }
  return result as ChargeResult;
}

function cardFor(gatewayId: string): TestCard {
  const card = testCardByToken(gatewayId.split(":")[0] ?? "");
  if (!card) throw new AppError("validation_failed", { param: "payment_method", userMessage: ONLY_TEST_CARDS });
  return card;
}

function decide(card: TestCard, request: ChargeRequest): ChargeResult {
  const gatewayId = `pi_sbx_${randomToken(18)}`;
  switch (card.behavior.kind) {
    case "succeeds":
    case "auth_on_setup":
    case "disputed":
      // Like a domestic card on Stripe AU: 1.7% + 30 minor units.
      return { status: "succeeded", gatewayId, fee: mulDiv(request.amount, 17, 1000) + 30 };
    case "auth_always":
      return { status: "requires_action", gatewayId };
    case "attaches_then_fails":
      return { status: "failed", gatewayId, failureCode: "card_declined", declineCode: "generic_decline", message: "Your card was declined." };
    case "declines":
      return {
        status: "failed",
        gatewayId,
        failureCode: card.behavior.failureCode,
        declineCode: card.behavior.declineCode,
        message: card.behavior.message,
      };
  }
}
