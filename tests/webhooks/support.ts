import Stripe from "stripe";
import { asc, eq, inArray, like } from "drizzle-orm";
import { vi } from "vitest";
import { getDb, type Db } from "@/db/client";
import { disputes, emails, invoices, outboxEvents, payments, sandboxCharges, stripeEvents, subscriptions } from "@/db/schema";
import { POST } from "@/app/api/webhooks/stripe/route";
import { dispatchOutbox } from "@/lib/events/outbox";
import { randomToken } from "@/lib/ids";
import type { ChargeResult } from "@/lib/payments";
import { sandboxGateway } from "@/lib/payments/sandbox/sandbox-gateway";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import type { ServiceContext } from "@/lib/services/context";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { makeCustomer, type Catalog } from "../factories";
import { invoicesOfCustomer, paymentsOf } from "../services/support";

/** The endpoint's signing secret in these tests (set before lib/env reads the environment). */
export const SECRET = "whsec_tally_webhook_tests_0123456789";
process.env.STRIPE_WEBHOOK_SECRET = SECRET;
delete process.env.STRIPE_SECRET_KEY;

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface EventInput {
  id?: string;
  type: string;
  object: Record<string, unknown>;
  /** Unix seconds; default now. Orders events about one object. */
  created?: number;
  livemode?: boolean;
}

/** A Stripe event envelope as Stripe sends it (API version fields included). */
export function stripeEvent(input: EventInput) {
  return {
    id: input.id ?? `evt_${randomToken(24)}`,
    object: "event",
    api_version: "2025-10-29.clover",
    created: input.created ?? nowSeconds(),
    livemode: input.livemode ?? false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: input.type,
    data: { object: input.object },
  };
}

export interface PostOptions {
  secret?: string;
  /** Unix seconds of the signature. */
  timestamp?: number;
  /** Replace the signature header entirely (null: none). */
  header?: string | null;
  /** Change the body after signing. */
  tamper?: (body: string) => string;
}

/** Sign with the SDK's test helper and call the route handler directly. */
export async function post(payload: object | string, opts: PostOptions = {}): Promise<Response> {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload, null, 2);
  const signature =
    opts.header !== undefined ? opts.header : Stripe.webhooks.generateTestHeaderString({ payload: body, secret: opts.secret ?? SECRET, timestamp: opts.timestamp });
  const headers = new Headers({ "content-type": "application/json; charset=utf-8", "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)" });
  if (signature !== null) headers.set("stripe-signature", signature);
  return POST(new Request("http://localhost/api/webhooks/stripe", { method: "POST", headers, body: opts.tamper ? opts.tamper(body) : body }));
}

/** What became of a delivery: the route's answer, then (for an accepted event) the processing run it started. */
export type Outcome = { status: "processed" } | { status: "duplicate" } | { status: "ignored"; note: string } | { status: "failed"; error: string };

/**
 * Post a signed event through the real route and, when it was accepted, wait for the processing
 * the route started after its response (polling stripe_events; see `waitForProcessed`).
 * `body` is the route's answer (`accepted` / `duplicate`), `outcome` what processing did.
 */
export async function postJson(payload: { id: string }, opts: PostOptions = {}): Promise<{ status: number; body: Record<string, unknown>; outcome?: Outcome }> {
  const db = await getDb();
  const before = (await eventRow(db, payload.id))?.attempts ?? 0;
  const res = await post(payload, opts);
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) return { status: res.status, body };
  if (body.status === "duplicate") return { status: res.status, body, outcome: { status: "duplicate" } };
  return { status: res.status, body, outcome: outcomeOf(await waitForProcessed(payload.id, { attemptsAbove: before })) };
}

/** The outcome a processed (or failed) event row records. */
export function outcomeOf(row: typeof stripeEvents.$inferSelect): Outcome {
  if (!row.processedAt) return { status: "failed", error: row.error ?? "" };
  if (row.error?.startsWith("ignored: ")) return { status: "ignored", note: row.error.slice("ignored: ".length) };
  if (row.error?.startsWith("malformed: ")) return { status: "ignored", note: row.error };
  return { status: "processed" };
}

/**
 * Wait for the route's after-response processing of an event: until its row is processed, or has
 * more than `attemptsAbove` attempts (an attempt failed). The route answered first, so tests that
 * assert on the outcome of a delivery wait here (polling every 5 ms, up to `timeoutMs`).
 */
export async function waitForProcessed(eventId: string, opts: { attemptsAbove?: number; timeoutMs?: number } = {}) {
  const db = await getDb();
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    const row = await eventRow(db, eventId);
    if (row && (row.processedAt || row.attempts > (opts.attemptsAbove ?? 0))) return row;
    if (Date.now() > deadline) throw new Error(`stripe event ${eventId} was not processed in time (row: ${JSON.stringify(row ?? null)})`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Wait until every one of these events is processed (for bursts posted without waiting). */
export async function waitForAllProcessed(eventIds: readonly string[], timeoutMs = 120_000): Promise<void> {
  const db = await getDb();
  const ids = [...new Set(eventIds)];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await db.select({ id: stripeEvents.id, processedAt: stripeEvents.processedAt }).from(stripeEvents).where(inArray(stripeEvents.id, ids));
    const waiting = ids.length - rows.filter((r) => r.processedAt).length;
    if (waiting === 0) return;
    if (Date.now() > deadline) throw new Error(`${waiting} of ${ids.length} stripe events not processed in time`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A PaymentIntent as Stripe renders it in `payment_intent.*` events. */
export function paymentIntent(payment: { id: string; invoiceId: string; amount: number; currency: string; gatewayId: string }, status: string, extra: Record<string, unknown> = {}) {
  return {
    id: payment.gatewayId,
    object: "payment_intent",
    amount: payment.amount,
    currency: payment.currency,
    status,
    metadata: { invoice_id: payment.invoiceId, payment_id: payment.id },
    last_payment_error: null,
    ...extra,
  };
}

export function charge(payment: { id: string; amount: number; currency: string; gatewayId: string }, amountRefunded: number) {
  return {
    id: `ch_${payment.gatewayId}`,
    object: "charge",
    amount: payment.amount,
    amount_refunded: amountRefunded,
    refunded: amountRefunded >= payment.amount,
    currency: payment.currency,
    payment_intent: payment.gatewayId,
    metadata: { payment_id: payment.id },
  };
}

export function dispute(gatewayId: string, payment: { amount: number; currency: string; gatewayId: string }, status: string, extra: Record<string, unknown> = {}) {
  return {
    id: gatewayId,
    object: "dispute",
    amount: payment.amount,
    currency: payment.currency,
    status,
    reason: "fraudulent",
    charge: `ch_${payment.gatewayId}`,
    payment_intent: payment.gatewayId,
    evidence_details: { due_by: 1_900_000_000, has_evidence: false, past_due: false, submission_count: 0 },
    balance_transactions: [],
    created: 1_890_000_000,
    livemode: false,
    ...extra,
  };
}

/** The gateway's current answer for a charge. */
export async function gatewayAnswer(gatewayId: string): Promise<ChargeResult | null> {
  return sandboxGateway.retrieveCharge({ gatewayId, idempotencyKey: "", metadata: {} });
}

export async function gatewayIdOf(db: Db, idempotencyKey: string): Promise<string> {
  const [row] = await db.select().from(sandboxCharges).where(eq(sandboxCharges.idempotencyKey, idempotencyKey));
  const id = (row?.result as { gatewayId?: string } | undefined)?.gatewayId;
  if (!id) throw new Error(`no sandbox charge for ${idempotencyKey}`);
  return id;
}

export async function paymentRow(db: Db, id: string) {
  const [row] = await db.select().from(payments).where(eq(payments.id, id));
  if (!row) throw new Error(`payment ${id} missing`);
  return row;
}

export async function invoiceRow(db: Db, id: string) {
  const [row] = await db.select().from(invoices).where(eq(invoices.id, id));
  if (!row) throw new Error(`invoice ${id} missing`);
  return row;
}

export async function eventRow(db: Db, id: string) {
  const [row] = await db.select().from(stripeEvents).where(eq(stripeEvents.id, id));
  return row;
}

export async function disputeByGatewayId(db: Db, gatewayId: string) {
  const [row] = await db.select().from(disputes).where(eq(disputes.gatewayId, gatewayId));
  return row;
}

export async function outboxOfType(db: Db, type: string, entityId?: string) {
  const rows = await db.select().from(outboxEvents).where(eq(outboxEvents.type, type)).orderBy(asc(outboxEvents.createdAt));
  return entityId ? rows.filter((r) => r.entityId === entityId) : rows;
}

/** Deliver every pending outbox event (emails, the sandbox's disputes) as the runner would. */
export async function drainOutbox(db: Db): Promise<void> {
  while ((await dispatchOutbox(db, outboxHandler(db))) > 0) {
    // until empty
  }
}

export async function emailsTo(db: Db, customerId: string, template: string) {
  return db.select().from(emails).where(eq(emails.customerId, customerId)).then((rows) => rows.filter((r) => r.template === template));
}

export async function sandboxChargesFor(db: Db, invoiceId: string) {
  return db.select().from(sandboxCharges).where(like(sandboxCharges.idempotencyKey, `inv_${invoiceId}_%`));
}

/** Fisher–Yates with a seeded generator, so a failing order can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Run tasks with at most `width` in flight. */
export async function withConcurrency<T, R>(items: readonly T[], width: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await run(items[i] as T);
      }
    }),
  );
  return results;
}

export interface Seeded {
  customerId: string;
  subscriptionId: string;
  invoiceId: string;
  payment: { id: string; invoiceId: string; amount: number; currency: string; gatewayId: string; idempotencyKey: string };
}

async function seeded(db: Db, customerId: string, subscriptionId: string): Promise<Seeded> {
  const [invoice] = await invoicesOfCustomer(db, customerId);
  if (!invoice) throw new Error("no invoice");
  const [payment] = await paymentsOf(db, invoice.id);
  if (!payment) throw new Error("no payment");
  const gatewayId = payment.gatewayId ?? (await gatewayIdOf(db, payment.idempotencyKey));
  return {
    customerId,
    subscriptionId,
    invoiceId: invoice.id,
    payment: { id: payment.id, invoiceId: invoice.id, amount: payment.amount, currency: payment.currency, gatewayId, idempotencyKey: payment.idempotencyKey },
  };
}

/**
 * A first invoice whose charge succeeded at the gateway while Tally crashed before recording it
 * (R2's window): the payment is pending, the subscription incomplete, the gateway says succeeded.
 * Only a webhook (or reconciliation) can settle it now.
 */
export async function chargedButUnrecorded(c: ServiceContext, catalog: Catalog, card = "pm_card_visa"): Promise<Seeded> {
  const customer = await makeCustomer(c, { card });
  const real = sandboxGateway.charge.bind(sandboxGateway);
  const spy = vi.spyOn(sandboxGateway, "charge").mockImplementationOnce(async (request) => {
    await real(request);
    throw new Error("connection reset after the gateway answered");
  });
  await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] }).then(
    () => {
      throw new Error("expected the simulated crash");
    },
    (error: unknown) => {
      if (!(error instanceof Error) || !error.message.includes("connection reset")) throw error;
    },
  );
  spy.mockRestore();
  const [sub] = await c.db.select().from(subscriptions).where(eq(subscriptions.customerId, customer.id));
  if (!sub) throw new Error("no subscription");
  return seeded(c.db, customer.id, sub.id);
}

/** A first invoice paid normally (the subscription is active). */
export async function paidInvoice(c: ServiceContext, catalog: Catalog, card = "pm_card_visa"): Promise<Seeded> {
  const customer = await makeCustomer(c, { card });
  const { subscription } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
  return seeded(c.db, customer.id, subscription.id);
}

/** A first invoice whose charge needs authentication (…3184): payment requires_action, subscription incomplete. */
export async function awaitingAuthentication(c: ServiceContext, catalog: Catalog): Promise<Seeded> {
  const customer = await makeCustomer(c, { card: "pm_card_authenticationRequired" });
  const { subscription } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
  return seeded(c.db, customer.id, subscription.id);
}
