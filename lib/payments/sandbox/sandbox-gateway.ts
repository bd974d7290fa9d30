import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { getDb, inTextArray } from "@/db/client";
import { insertRows, type SetColumn } from "@/db/set-sql";
import { sandboxCharges, sandboxRefunds } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { randomToken } from "@/lib/ids";
import { mulDiv } from "@/lib/money";
import { AmountTooSmallError, isBelowMinimumCharge } from "../charge-minimums";
import type { CardDetails, ChargeRequest, ChargeResult, PaymentGateway, RefundRequest, RefundResult, SetupIntent } from "../port";
import { testCardByToken, type TestCard } from "./test-cards";

const ONLY_TEST_CARDS =
  "The sandbox accepts only Stripe's test cards, such as 4242 4242 4242 4242. No real card number is ever accepted.";

/** Behaves like Stripe test mode, offline. */
export const sandboxGateway: PaymentGateway = {
  name: "sandbox",

  async ensureCustomer({ customerId, existing }): Promise<string> {
    return existing ?? `cus_sbx_${customerId}`;
  },

  async createSetupIntent(): Promise<SetupIntent> {
    const id = `seti_sbx_${randomToken(18)}`;
    return { id, clientSecret: `${id}_secret_${randomToken(18)}` };
  },

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

  async detachPaymentMethod(): Promise<void> {
    // The sandbox keeps no cards of its own (a token names a test card): nothing to detach.
  },

  async eraseCustomer(): Promise<void> {
    // The sandbox keeps no customers of its own: nothing to clear.
  },

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const [result] = await chargeMany([request]);
    if (result instanceof Error) throw result;
    return result!;
  },

  chargeMany: (requests) => chargeMany(requests),

  async refund(request: RefundRequest): Promise<RefundResult> {
    const db = await getDb();
    const requestHash = createHash("sha256").update(JSON.stringify([request.paymentGatewayId, request.amount])).digest("hex");
    const [existing] = await db.select().from(sandboxRefunds).where(eq(sandboxRefunds.idempotencyKey, request.idempotencyKey));
    if (existing) return replay<RefundResult>(existing.requestHash, requestHash, existing.result);
    const [charge] = await db
      .select({ key: sandboxCharges.idempotencyKey })
      .from(sandboxCharges)
      .where(and(sql`${sandboxCharges.result}->>'gatewayId' = ${request.paymentGatewayId}`, sql`${sandboxCharges.result}->>'status' = 'succeeded'`))
      .limit(1);
    const result: RefundResult = !charge
      ? { status: "failed", gatewayId: null, failureCode: "charge_not_refundable", message: "No succeeded charge with this id to refund." }
      : !Number.isSafeInteger(request.amount) || request.amount <= 0
        ? { status: "failed", gatewayId: null, failureCode: "amount_invalid", message: "The refund amount must be a positive integer of minor units." }
        : { status: "succeeded", gatewayId: `re_sbx_${randomToken(18)}` };
    const inserted = await db
      .insert(sandboxRefunds)
      .values({ idempotencyKey: request.idempotencyKey, paymentGatewayId: request.paymentGatewayId, amount: request.amount, requestHash, result })
      .onConflictDoNothing()
      .returning();
    if (inserted.length > 0) return result;
    const [winner] = await db.select().from(sandboxRefunds).where(eq(sandboxRefunds.idempotencyKey, request.idempotencyKey));
    if (!winner) throw new Error("sandbox refund vanished");
    return replay<RefundResult>(winner.requestHash, requestHash, winner.result);
  },

  async retrieveCharge({ gatewayId, idempotencyKey }): Promise<ChargeResult | null> {
    if (gatewayId) return ((await chargeByGatewayId(gatewayId))?.result as ChargeResult | undefined) ?? null;
    const db = await getDb();
    const [row] = await db.select().from(sandboxCharges).where(eq(sandboxCharges.idempotencyKey, idempotencyKey));
    return (row?.result as ChargeResult | undefined) ?? null;
  },

  /** The sandbox's own confirm step: the customer "authenticated" on the confirm page. */
  async completeAuthentication(gatewayId: string): Promise<ChargeResult> {
    const row = await chargeByGatewayId(gatewayId);
    if (!row) throw new AppError("not_found", { userMessage: "No such payment to confirm." });
    const current = row.result as ChargeResult;
    if (current.status !== "requires_action") return current;
    const amount = (row.result as { amount?: number }).amount ?? 0;
    const done: ChargeResult = { status: "succeeded", gatewayId, fee: mulDiv(amount, 17, 1000) + 30, riskLevel: "normal", outcome: "authorized" };
    const db = await getDb();
    await db.update(sandboxCharges).set({ result: { ...done, amount } }).where(eq(sandboxCharges.idempotencyKey, row.idempotencyKey));
    return done;
  },

  dashboardUrl(): string | null {
    return null;
  },
};

type DecidedCharge = { idempotencyKey: string; requestHash: string; result: ChargeResult & { amount: number } };
const CHARGE_COLUMNS: SetColumn<DecidedCharge>[] = [
  { name: "idempotency_key", type: "text", value: (c) => c.idempotencyKey },
  { name: "request_hash", type: "text", value: (c) => c.requestHash },
  { name: "result", type: "jsonb", value: (c) => c.result },
];

/**
 * Charges recorded by idempotency key, like Stripe: a key seen before answers with its stored
 * result (or refuses different parameters), a new key is decided by the test card and stored. A
 * whole batch takes one statement when every key is new: each request is decided and inserted
 * unless its key is stored already (on conflict do nothing); the keys not inserted — seen before,
 * or won by a concurrent request, whose result is then the answer as on Stripe — are read back.
 */
async function chargeMany(requests: readonly ChargeRequest[]): Promise<(ChargeResult | Error)[]> {
  if (requests.length === 0) return [];
  const db = await getDb();
  const hashes = requests.map((r) => createHash("sha256").update(JSON.stringify([r.amount, r.currency, r.paymentMethodGatewayId, r.customerId])).digest("hex"));
  // The first request with each key decides it; a later one in the batch replays it.
  const decided = new Map<string, DecidedCharge>();
  const refused = new Map<number, Error>();
  requests.forEach((request, k) => {
    if (decided.has(request.idempotencyKey)) return;
    try {
      // Like Stripe: a charge below the currency's minimum is refused (400 amount_too_small) and not stored.
      if (isBelowMinimumCharge(request.amount, request.currency)) throw new AmountTooSmallError(request.currency);
      decided.set(request.idempotencyKey, { idempotencyKey: request.idempotencyKey, requestHash: hashes[k]!, result: decide(cardFor(request.paymentMethodGatewayId), request) });
    } catch (error) {
      refused.set(k, error instanceof Error ? error : new Error(String(error)));
    }
  });
  const stored = new Map<string, { requestHash: string; result: unknown }>();
  if (decided.size > 0) {
    const inserted = await insertRows(db, "sandbox_charges", [...decided.values()], CHARGE_COLUMNS, { onConflictDoNothing: true, returning: "idempotency_key" });
    for (const key of inserted) stored.set(key, decided.get(key)!);
  }
  // Keys stored before (a retry: its stored answer wins, even over a refusal now) or by a concurrent request.
  const seen = [...new Set(requests.map((r) => r.idempotencyKey))].filter((key) => !stored.has(key));
  if (seen.length > 0) for (const row of await db.select().from(sandboxCharges).where(inTextArray(sandboxCharges.idempotencyKey, seen))) stored.set(row.idempotencyKey, row);
  return requests.map((request, k) => {
    const row = stored.get(request.idempotencyKey);
    const refusal = refused.get(k);
    if (refusal && !row) return refusal;
    if (!row) return new Error("sandbox charge vanished");
    try {
      return replay<ChargeResult>(row.requestHash, hashes[k]!, row.result);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  });
}

/** The sandbox's stored charge by its gateway id (`pi_sbx_…`). */
async function chargeByGatewayId(gatewayId: string) {
  const db = await getDb();
  const [row] = await db.select().from(sandboxCharges).where(sql`${sandboxCharges.result}->>'gatewayId' = ${gatewayId}`).limit(1);
  return row;
}

function replay<T extends ChargeResult | RefundResult>(storedHash: string, requestHash: string, result: unknown): T {
  if (storedHash !== requestHash) {
    throw new Error("Keys for idempotent requests can only be used with the same parameters they were first used with.");
  }
  return result as T;
}

function cardFor(gatewayId: string): TestCard {
  const card = testCardByToken(gatewayId.split(":")[0] ?? "");
  if (!card) throw new AppError("validation_failed", { param: "payment_method", userMessage: ONLY_TEST_CARDS });
  return card;
}

function decide(card: TestCard, request: ChargeRequest): ChargeResult & { amount: number } {
  const gatewayId = `pi_sbx_${randomToken(18)}`;
  switch (card.behavior.kind) {
    case "succeeds":
    case "auth_on_setup":
    case "disputed":
      // Like a domestic card on Stripe AU: 1.7% + 30 minor units.
      return { status: "succeeded", gatewayId, fee: mulDiv(request.amount, 17, 1000) + 30, riskLevel: "normal", outcome: "authorized", amount: request.amount };
    case "auth_always":
      return { status: "requires_action", gatewayId, clientSecret: `${gatewayId}_secret_${randomToken(12)}`, amount: request.amount };
    case "attaches_then_fails":
      return { status: "failed", gatewayId, failureCode: "card_declined", declineCode: "generic_decline", message: "Your card was declined.", outcome: "issuer_declined", amount: request.amount };
    case "declines":
      return {
        status: "failed",
        gatewayId,
        failureCode: card.behavior.failureCode,
        declineCode: card.behavior.declineCode,
        message: card.behavior.message,
        outcome: "issuer_declined",
        amount: request.amount,
      };
  }
}
