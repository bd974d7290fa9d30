/**
 * An in-repo fake of the slice of Stripe's API Tally uses, for driving the real `stripe` SDK in tests.
 * node:http, form-encoded bodies as the SDK sends them, JSON shaped like Stripe's objects and errors,
 * Stripe's idempotency semantics, behaviour by Stripe's test PaymentMethod ids, and fault injection.
 *
 *   POST /v1/customers                       POST /v1/setup_intents
 *   POST /v1/payment_methods/:id/attach      GET  /v1/payment_methods/:id
 *   POST /v1/payment_intents                 GET  /v1/payment_intents/:id        GET /v1/payment_intents/search
 *   POST /v1/refunds                         GET  /v1/balance_transactions/:id
 *   POST /v1/payment_methods/:id/detach      POST /v1/customers/:id
 *   POST /v1/tax/calculations (tax-calculation.ts)
 *
 * Every request is first checked against Stripe's published description of the operation
 * (openapi-rules.ts, ../shared/stripe-openapi/operations.json): a request Stripe would refuse is
 * refused here too, and recorded in `violations` (withFakeStripe fails the file when any remain).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHash, randomBytes } from "node:crypto";
import { amountTooSmallMessage, isBelowMinimumCharge } from "@/lib/payments/charge-minimums";
import { checkRequest, type Violation } from "./openapi-rules";
import { seededRandom } from "@/lib/seeded-random";
import { taxCalculation } from "./tax-calculation";

// ---------------------------------------------------------------------------------------------
// Test cards, by Stripe's test PaymentMethod id (docs.stripe.com/testing).

type CardBehavior =
  | { kind: "succeeds" }
  | { kind: "declines"; code: string; declineCode: string; adviceCode?: string; message: string }
  | { kind: "auth_always" };

interface TestCard {
  brand: string;
  last4: string;
  behavior: CardBehavior;
}

const DECLINED = "Your card was declined.";
export const FAKE_TEST_CARDS: Readonly<Record<string, TestCard>> = {
  pm_card_visa: { brand: "visa", last4: "4242", behavior: { kind: "succeeds" } },
  pm_card_mastercard: { brand: "mastercard", last4: "4444", behavior: { kind: "succeeds" } },
  pm_card_chargeDeclined: { brand: "visa", last4: "0002", behavior: { kind: "declines", code: "card_declined", declineCode: "generic_decline", message: DECLINED } },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: "visa",
    last4: "9995",
    behavior: { kind: "declines", code: "card_declined", declineCode: "insufficient_funds", adviceCode: "try_again_later", message: "Your card has insufficient funds." },
  },
  pm_card_chargeDeclinedExpiredCard: {
    brand: "visa",
    last4: "0069",
    behavior: { kind: "declines", code: "expired_card", declineCode: "expired_card", adviceCode: "confirm_card_data", message: "Your card has expired." },
  },
  pm_card_chargeDeclinedProcessingError: {
    brand: "visa",
    last4: "0119",
    behavior: { kind: "declines", code: "processing_error", declineCode: "processing_error", message: "An error occurred while processing your card. Try again in a little bit." },
  },
  // Attaches to a customer, then every charge fails.
  pm_card_chargeCustomerFail: { brand: "visa", last4: "0341", behavior: { kind: "declines", code: "card_declined", declineCode: "generic_decline", message: DECLINED } },
  // Authenticated once at setup; off-session charges then succeed.
  pm_card_authenticationRequiredOnSetup: { brand: "visa", last4: "3155", behavior: { kind: "succeeds" } },
  pm_card_authenticationRequired: { brand: "visa", last4: "3184", behavior: { kind: "auth_always" } },
  // Succeeds; the dispute arrives later (by webhook, not modelled here).
  pm_card_createDispute: { brand: "visa", last4: "0259", behavior: { kind: "succeeds" } },
};

// ---------------------------------------------------------------------------------------------
// Objects (the fields Tally reads, shaped like Stripe's).

type Json = Record<string, unknown>;

export interface FakePaymentMethod extends Json {
  id: string;
  object: "payment_method";
  type: "card";
  customer: string | null;
  card: { brand: string; last4: string; exp_month: number; exp_year: number; fingerprint: string; funding: "credit"; country: "US" };
  /** Which test card this is (not a Stripe field; the fake's own bookkeeping). */
  _test_token: string;
}

export interface FakeCharge extends Json {
  id: string;
  object: "charge";
  amount: number;
  amount_refunded: number;
  currency: string;
  status: "succeeded" | "failed";
  paid: boolean;
  refunded: boolean;
  payment_intent: string;
  balance_transaction: string | null;
  outcome: { type: string; risk_level: string; risk_score: number; network_status: string; reason: string | null; seller_message: string };
  failure_code: string | null;
}

export interface FakePaymentIntent extends Json {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_received: number;
  currency: string;
  customer: string | null;
  payment_method: string | null;
  status: "requires_payment_method" | "requires_confirmation" | "requires_action" | "processing" | "succeeded" | "canceled";
  client_secret: string;
  metadata: Record<string, string>;
  last_payment_error: Json | null;
  latest_charge: string | null;
  created: number;
}

export type FaultKind = "500" | "429" | "hang" | "lost" | "error";

/** A Stripe error to answer with (failNextWith): its HTTP status and the `error` object. */
export interface InjectedError {
  status: number;
  type: "invalid_request_error" | "card_error" | "api_error" | "idempotency_error";
  code?: string;
  decline_code?: string;
  param?: string;
  message: string;
}

export interface RecordedRequest {
  seq: number;
  /** Arrival time, ms since the epoch. */
  at: number;
  method: string;
  path: string;
  params: Json;
  idempotencyKey: string | null;
  stripeVersion: string | null;
  status: number;
  fault: FaultKind | null;
  /** The answer was the stored first response for this Idempotency-Key. */
  replayed: boolean;
  /** Refused because Stripe's description of the operation does not allow it. */
  violation: Violation | null;
}

interface RouteMatch {
  method: string;
  path: string;
  /** The decoded form body or query. */
  params: Json;
}

interface FaultRule {
  kind: FaultKind | readonly FaultKind[];
  error?: InjectedError;
  remaining: number | null;
  probability: number;
  match: (r: RouteMatch) => boolean;
  random: () => number;
}

interface StoredResponse {
  method: string;
  path: string;
  hash: string;
  status: number;
  body: Json;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String((body.error as Json | undefined)?.message ?? status));
  }
}

const invalid = (message: string, extra: Json = {}, status = 400) =>
  new HttpError(status, { error: { type: "invalid_request_error", message, ...extra } });
const missing = (kind: string, id: string, param: string) =>
  invalid(`No such ${kind}: '${id}'`, { code: "resource_missing", param }, 404);

export interface FakeStripeOptions {
  /** How long a "hang" fault holds the response before dropping the socket (ms). */
  hangMs?: number;
  /** Retry-After (seconds) sent with injected 429s. */
  retryAfterSeconds?: number;
}

export class FakeStripe {
  url = "";
  port = 0;
  readonly requests: RecordedRequest[] = [];
  /** Requests refused because Stripe's description of the operation does not allow them. */
  readonly violations: RecordedRequest[] = [];
  readonly customers = new Map<string, Json>();
  readonly setupIntents = new Map<string, Json>();
  readonly paymentMethods = new Map<string, FakePaymentMethod>();
  readonly paymentIntents = new Map<string, FakePaymentIntent>();
  readonly charges = new Map<string, FakeCharge>();
  readonly balanceTransactions = new Map<string, Json>();
  readonly refunds = new Map<string, Json>();
  /** The Idempotency-Key each PaymentIntent was created under (bookkeeping, not a Stripe field). */
  readonly intentKeys = new Map<string, string>();

  private readonly stored = new Map<string, StoredResponse>();
  private rules: FaultRule[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server: http.Server;
  private seq = 0;

  constructor(private readonly options: FakeStripeOptions = {}) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ----- fault injection -------------------------------------------------------------------

  /** The next `n` matching requests fail with `kind` (500 / 429 with Retry-After / hang past the client timeout / lost). */
  failNext(n: number, kind: FaultKind, match: (r: RouteMatch) => boolean = () => true): void {
    this.rules.push({ kind, remaining: n, probability: 1, match, random: Math.random });
  }

  /**
   * The next `n` matching requests are processed and committed (the charge exists, the idempotent
   * result is stored), but the client gets a 500 instead of the answer.
   */
  loseNext(n: number, match: (r: RouteMatch) => boolean = () => true): void {
    this.failNext(n, "lost", match);
  }

  /** Each matching request fails with this probability, with one of `kinds` picked at random. */
  failRandomly(probability: number, kinds: readonly FaultKind[], opts: { match?: (r: RouteMatch) => boolean; random?: () => number } = {}): void {
    this.rules.push({ kind: kinds, remaining: null, probability, match: opts.match ?? (() => true), random: opts.random ?? Math.random });
  }

  /**
   * The next `n` matching requests are answered with this Stripe error without being processed
   * (an `invalid_request_error` 400, a `card_error` 402, …): how Stripe refuses a request.
   */
  failNextWith(n: number, error: InjectedError, match: (r: RouteMatch) => boolean = () => true): void {
    this.rules.push({ kind: "error", error, remaining: n, probability: 1, match, random: Math.random });
  }

  clearFaults(): void {
    this.rules = [];
  }

  // ----- test helpers ----------------------------------------------------------------------

  /** Recorded requests, optionally by method and path (a string or a RegExp). */
  requestsTo(method: string, path?: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && (path === undefined || (typeof path === "string" ? r.path === path : path.test(r.path))));
  }

  intentsFor(invoiceId: string): FakePaymentIntent[] {
    return [...this.paymentIntents.values()].filter((pi) => pi.metadata.invoice_id === invoiceId);
  }

  /** What stripe.js does on the /pay page: the customer authenticates and the intent succeeds. */
  confirmOnSession(intentId: string): FakePaymentIntent {
    const pi = this.paymentIntents.get(intentId);
    if (!pi) throw new Error(`no such intent ${intentId}`);
    if (pi.status !== "requires_payment_method" && pi.status !== "requires_action") return pi;
    const charge = this.createCharge(pi, { kind: "succeeds" });
    Object.assign(pi, { status: "succeeded", amount_received: pi.amount, last_payment_error: null, latest_charge: charge.id });
    return pi;
  }

  /** Create a PaymentIntent directly, as if another client had (for reconciliation tests). */
  createIntentDirectly(params: { amount: number; currency: string; paymentMethod: string; customer?: string | null; metadata: Record<string, string> }): FakePaymentIntent {
    return this.createIntent({
      amount: String(params.amount),
      currency: params.currency,
      payment_method: params.paymentMethod,
      customer: params.customer ?? undefined,
      confirm: "true",
      off_session: "true",
      metadata: params.metadata,
    }).intent;
  }

  // ----- HTTP -------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const raw = await readBody(req);
    const params = decodeForm(method === "GET" || method === "DELETE" ? url.search.slice(1) : raw);
    const idempotencyKey = header(req, "idempotency-key");
    const record: RecordedRequest = {
      seq: ++this.seq,
      at,
      method,
      path: url.pathname,
      params,
      idempotencyKey,
      stripeVersion: header(req, "stripe-version"),
      status: 0,
      fault: null,
      replayed: false,
      violation: null,
    };
    this.requests.push(record);
    const send = (status: number, body: Json, extraHeaders: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, {
        "content-type": "application/json",
        "request-id": `req_${token(14)}`,
        ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
        ...extraHeaders,
      });
      res.end(JSON.stringify(body));
    };

    if (!/^Bearer (sk|rk)_(test|live)_/.test(header(req, "authorization") ?? "")) {
      send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided." } });
      return;
    }

    const violation = checkRequest(method, url.pathname, params);
    if (violation) {
      record.violation = violation;
      this.violations.push(record);
      const { status: violationStatus, ...error } = violation;
      send(violationStatus, { error: { type: "invalid_request_error", ...error } });
      return;
    }

    const picked = this.pickFault({ method, path: url.pathname, params });
    const fault = picked?.kind ?? null;
    record.fault = fault;
    if (picked?.error) {
      const { status: errorStatus, ...error } = picked.error;
      send(errorStatus, { error });
      return;
    }
    if (fault === "500") {
      send(500, { error: { type: "api_error", message: "fake-stripe: injected server error (request not processed)" } });
      return;
    }
    if (fault === "429") {
      send(429, { error: { type: "invalid_request_error", code: "rate_limit", message: "Too many requests hit the API too quickly." } }, { "retry-after": String(this.options.retryAfterSeconds ?? 1) });
      return;
    }
    if (fault === "hang") {
      // Never processed; held until the client gives up, then the socket is dropped.
      record.status = -1;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        res.destroy();
      }, this.options.hangMs ?? 10_000);
      this.timers.add(timer);
      res.on("close", () => {
        clearTimeout(timer);
        this.timers.delete(timer);
      });
      return;
    }

    let status: number;
    let body: Json;
    if (method === "POST") {
      if (!idempotencyKey) {
        send(400, { error: { type: "invalid_request_error", message: "fake-stripe: every POST Tally makes must carry an Idempotency-Key" } });
        return;
      }
      const hash = createHash("sha256").update(stableJson(params)).digest("hex");
      const prior = this.stored.get(idempotencyKey);
      if (prior) {
        if (prior.method !== method || prior.path !== url.pathname || prior.hash !== hash) {
          status = 400;
          body = {
            error: {
              type: "idempotency_error",
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            },
          };
        } else {
          record.replayed = true;
          status = prior.status;
          body = prior.body;
        }
      } else {
        const before = new Set(this.paymentIntents.keys());
        ({ status, body } = this.route(method, url.pathname, params));
        this.stored.set(idempotencyKey, { method, path: url.pathname, hash, status, body });
        for (const id of this.paymentIntents.keys()) if (!before.has(id)) this.intentKeys.set(id, idempotencyKey);
      }
    } else {
      ({ status, body } = this.route(method, url.pathname, params));
    }

    if (fault === "lost") {
      // Committed (and stored for replay), but the answer never reaches the client.
      send(500, { error: { type: "api_error", message: "fake-stripe: injected failure after the request was committed" } });
      return;
    }
    send(status, body);
  }

  private pickFault(r: RouteMatch): { kind: FaultKind; error?: InjectedError } | null {
    for (const rule of this.rules) {
      if (!rule.match(r)) continue;
      if (rule.remaining !== null) {
        if (rule.remaining <= 0) continue;
        rule.remaining -= 1;
        return { kind: pick(rule.kind, rule.random), error: rule.error };
      }
      if (rule.random() < rule.probability) return { kind: pick(rule.kind, rule.random), error: rule.error };
    }
    return null;
  }

  private route(method: string, path: string, params: Json): { status: number; body: Json } {
    try {
      const body = this.dispatch(method, path, params);
      return { status: 200, body };
    } catch (error) {
      if (error instanceof HttpError) return { status: error.status, body: error.body };
      throw error;
    }
  }

  private dispatch(method: string, path: string, params: Json): Json {
    const seg = path.split("/").filter(Boolean); // ["v1", ...]
    const [v1, resource, id, action] = seg;
    if (v1 !== "v1") throw invalid(`Unrecognized request URL (${method}: ${path}).`, {}, 404);
    if (method === "POST" && resource === "customers" && !id) return this.createCustomer(params);
    if (method === "POST" && resource === "customers" && id && !action) return this.updateCustomer(id, params);
    if (method === "POST" && resource === "setup_intents" && !id) return this.createSetupIntent(params);
    if (method === "POST" && resource === "payment_methods" && id && action === "attach") return this.attach(id, params);
    if (method === "POST" && resource === "payment_methods" && id && action === "detach") return this.detach(id);
    if (method === "GET" && resource === "payment_methods" && id && !action) return this.paymentMethods.get(id) ?? thrower(missing("PaymentMethod", id, "payment_method"));
    if (method === "POST" && resource === "payment_intents" && !id) return this.createIntentResponse(params);
    if (method === "GET" && resource === "payment_intents" && id === "search") return this.search(params);
    if (method === "GET" && resource === "payment_intents" && id && !action) {
      const pi = this.paymentIntents.get(id) ?? thrower(missing("payment_intent", id, "intent"));
      return this.expandIntent(pi, strings(params.expand));
    }
    if (method === "POST" && resource === "refunds" && !id) return this.createRefund(params);
    if (method === "POST" && resource === "tax" && id === "calculations" && !action) return taxCalculation(params, `taxcalc_${token(14)}`, now());
    if (method === "GET" && resource === "balance_transactions" && id) return this.balanceTransactions.get(id) ?? thrower(missing("balance transaction", id, "id"));
    throw invalid(`Unrecognized request URL (${method}: ${path}). The fake answers only the endpoints Tally uses.`, {}, 404);
  }

  private createCustomer(params: Json): Json {
    const customer = {
      id: `cus_${token(14)}`,
      object: "customer",
      email: str(params.email),
      name: str(params.name),
      metadata: params.metadata ?? {},
      created: now(),
      livemode: false,
    };
    this.customers.set(customer.id, customer);
    return customer;
  }

  /** Stripe's update: an empty string unsets a field; metadata merges. */
  private updateCustomer(id: string, params: Json): Json {
    const customer = this.customers.get(id) ?? thrower(missing("customer", id, "id"));
    for (const [key, value] of Object.entries(params)) {
      if (key === "expand") continue;
      if (key === "metadata" && value && typeof value === "object") {
        customer.metadata = { ...(customer.metadata as Json), ...(value as Json) };
        continue;
      }
      customer[key] = value === "" ? null : value;
    }
    return customer;
  }

  private detach(id: string): Json {
    const method = this.paymentMethods.get(id) ?? thrower(missing("PaymentMethod", id, "payment_method"));
    if (!method.customer) {
      throw invalid(`The payment method you provided is not attached to a customer so detachment is impossible.`, { code: "payment_method_unexpected_state" });
    }
    method.customer = null;
    return method;
  }

  private createSetupIntent(params: Json): Json {
    const customer = str(params.customer);
    if (customer && !this.customers.has(customer)) throw invalid(`No such customer: '${customer}'`, { code: "resource_missing", param: "customer" });
    const id = `seti_${token(24)}`;
    const intent = {
      id,
      object: "setup_intent",
      client_secret: `${id}_secret_${token(24)}`,
      customer,
      status: "requires_payment_method",
      usage: str(params.usage) ?? "off_session",
      metadata: params.metadata ?? {},
      created: now(),
      livemode: false,
    };
    this.setupIntents.set(id, intent);
    return intent;
  }

  private attach(id: string, params: Json): Json {
    const customer = str(params.customer);
    if (!customer) throw invalid("Missing required param: customer.", { code: "parameter_missing", param: "customer" });
    if (!this.customers.has(customer)) throw invalid(`No such customer: '${customer}'`, { code: "resource_missing", param: "customer" });
    let method = this.paymentMethods.get(id);
    if (!method) {
      if (!FAKE_TEST_CARDS[id]) throw missing("PaymentMethod", id, "payment_method");
      // A test PaymentMethod id is cloned into a new PaymentMethod, as Stripe does.
      method = this.newPaymentMethod(id);
    }
    if (method.customer && method.customer !== customer) {
      throw invalid("The payment method you provided has already been attached to a customer.", { code: "payment_method_unexpected_state" });
    }
    method.customer = customer;
    return method;
  }

  private newPaymentMethod(testToken: string): FakePaymentMethod {
    const card = FAKE_TEST_CARDS[testToken];
    if (!card) throw missing("PaymentMethod", testToken, "payment_method");
    const method: FakePaymentMethod = {
      id: `pm_${token(24)}`,
      object: "payment_method",
      type: "card",
      customer: null,
      card: {
        brand: card.brand,
        last4: card.last4,
        exp_month: 12,
        exp_year: 2034,
        fingerprint: createHash("sha256").update(testToken).digest("hex").slice(0, 16),
        funding: "credit",
        country: "US",
      },
      created: now(),
      livemode: false,
      metadata: {},
      _test_token: testToken,
    };
    this.paymentMethods.set(method.id, method);
    return method;
  }

  private createIntentResponse(params: Json): Json {
    const { intent, error } = this.createIntent(params);
    if (error) throw error;
    return this.expandIntent(intent, strings(params.expand));
  }

  private createIntent(params: Json): { intent: FakePaymentIntent; error: HttpError | null } {
    const amount = Number(params.amount);
    if (!Number.isSafeInteger(amount) || amount < 1) throw invalid("Invalid integer: amount", { code: "parameter_invalid_integer", param: "amount" });
    const currency = str(params.currency);
    if (!currency) throw invalid("Missing required param: currency.", { code: "parameter_missing", param: "currency" });
    // Stripe's minimum charge per currency (docs.stripe.com/currencies): refused before anything is created.
    if (isBelowMinimumCharge(amount, currency)) {
      throw invalid(amountTooSmallMessage(currency), { code: "amount_too_small", param: "amount", doc_url: "https://stripe.com/docs/error-codes/amount-too-small" });
    }
    const customer = str(params.customer);
    if (customer && !this.customers.has(customer)) throw invalid(`No such customer: '${customer}'`, { code: "resource_missing", param: "customer" });
    const pmId = str(params.payment_method);
    let method = pmId ? this.paymentMethods.get(pmId) : undefined;
    if (pmId && !method) {
      if (!FAKE_TEST_CARDS[pmId]) throw invalid(`No such PaymentMethod: '${pmId}'`, { code: "resource_missing", param: "payment_method" });
      method = this.newPaymentMethod(pmId);
    }
    if (method && customer && method.customer && method.customer !== customer) {
      throw invalid(`The provided PaymentMethod ${method.id} does not belong to the Customer ${customer}.`, { code: "payment_method_invalid_parameter", param: "payment_method" });
    }
    const id = `pi_${token(24)}`;
    const intent: FakePaymentIntent = {
      id,
      object: "payment_intent",
      amount,
      amount_received: 0,
      currency,
      customer,
      payment_method: method?.id ?? null,
      status: "requires_payment_method",
      client_secret: `${id}_secret_${token(24)}`,
      metadata: (params.metadata as Record<string, string> | undefined) ?? {},
      last_payment_error: null,
      latest_charge: null,
      cancellation_reason: null,
      capture_method: "automatic",
      confirmation_method: "automatic",
      created: now(),
      livemode: false,
    };
    this.paymentIntents.set(id, intent);
    if (!method || params.confirm !== "true") {
      intent.status = method ? "requires_confirmation" : "requires_payment_method";
      return { intent, error: null };
    }
    const card = FAKE_TEST_CARDS[method._test_token];
    const behavior: CardBehavior = card?.behavior ?? { kind: "succeeds" };
    if (behavior.kind === "succeeds") {
      const charge = this.createCharge(intent, behavior);
      Object.assign(intent, { status: "succeeded", amount_received: amount, latest_charge: charge.id });
      return { intent, error: null };
    }
    if (behavior.kind === "auth_always" && params.off_session !== "true") {
      Object.assign(intent, { status: "requires_action", next_action: { type: "use_stripe_sdk" } });
      return { intent, error: null };
    }
    const decline =
      behavior.kind === "declines"
        ? behavior
        : { code: "authentication_required", declineCode: "authentication_required", adviceCode: undefined, message: "Your card was declined. This transaction requires authentication." };
    const charge = this.createCharge(intent, behavior);
    const lastError = {
      type: "card_error",
      code: decline.code,
      decline_code: decline.declineCode,
      ...(decline.adviceCode ? { advice_code: decline.adviceCode } : {}),
      message: decline.message,
      charge: charge.id,
      payment_method: method,
      doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, "-")}`,
    };
    Object.assign(intent, { status: "requires_payment_method", latest_charge: charge.id, last_payment_error: lastError });
    return {
      intent,
      error: new HttpError(402, { error: { ...lastError, payment_intent: { ...intent }, request_log_url: `https://dashboard.stripe.com/test/logs/req_${token(14)}` } }),
    };
  }

  private createCharge(intent: FakePaymentIntent, behavior: CardBehavior): FakeCharge {
    const succeeded = behavior.kind === "succeeds";
    const id = `ch_${token(24)}`;
    let balanceTransaction: string | null = null;
    if (succeeded) {
      // Like a domestic card: 1.7% + 30 minor units, in the charge's currency.
      const fee = Math.floor((intent.amount * 17 + 500) / 1000) + 30;
      const txn = { id: `txn_${token(24)}`, object: "balance_transaction", amount: intent.amount, currency: intent.currency, fee, net: intent.amount - fee, source: id, type: "charge", created: now() };
      this.balanceTransactions.set(txn.id, txn);
      balanceTransaction = txn.id;
    }
    const reason = behavior.kind === "declines" ? behavior.declineCode : behavior.kind === "auth_always" ? "authentication_required" : null;
    const charge: FakeCharge = {
      id,
      object: "charge",
      amount: intent.amount,
      amount_refunded: 0,
      currency: intent.currency,
      status: succeeded ? "succeeded" : "failed",
      paid: succeeded,
      refunded: false,
      payment_intent: intent.id,
      payment_method: intent.payment_method,
      balance_transaction: balanceTransaction,
      failure_code: succeeded ? null : behavior.kind === "declines" ? behavior.code : "authentication_required",
      outcome: succeeded
        ? { type: "authorized", risk_level: "normal", risk_score: 32, network_status: "approved_by_network", reason: null, seller_message: "Payment complete." }
        : { type: "issuer_declined", risk_level: "normal", risk_score: 32, network_status: "declined_by_network", reason, seller_message: "The bank did not return any further details with this decline." },
      created: now(),
      livemode: false,
    };
    this.charges.set(id, charge);
    return charge;
  }

  private expandIntent(intent: FakePaymentIntent, expand: readonly string[]): Json {
    const out: Json = { ...intent };
    const wants = (p: string) => expand.includes(p);
    if ((wants("latest_charge") || wants("latest_charge.balance_transaction")) && intent.latest_charge) {
      const charge: Json = { ...this.charges.get(intent.latest_charge) };
      if (wants("latest_charge.balance_transaction") && typeof charge.balance_transaction === "string") {
        charge.balance_transaction = this.balanceTransactions.get(charge.balance_transaction) ?? charge.balance_transaction;
      }
      out.latest_charge = charge;
    }
    return out;
  }

  /** Stripe's search query language, the part Tally uses: `metadata['k']:'v'` terms joined by AND. */
  private search(params: Json): Json {
    const query = str(params.query) ?? "";
    const terms = query.split(/\s+AND\s+/);
    const filters: Array<[string, string]> = [];
    for (const term of terms) {
      const m = /^metadata\['((?:[^'\\]|\\.)+)'\]:'((?:[^'\\]|\\.)*)'$/.exec(term.trim());
      if (!m || m[1] === undefined || m[2] === undefined) throw invalid(`fake-stripe: unsupported search query: ${query}`, { param: "query" });
      filters.push([unescape(m[1]), unescape(m[2])]);
    }
    const expand = strings(params.expand).map((p) => p.replace(/^data\./, ""));
    const limit = Math.min(100, Number(params.limit ?? 10) || 10);
    const data = [...this.paymentIntents.values()]
      .filter((pi) => filters.every(([k, v]) => pi.metadata[k] === v))
      .sort((a, b) => b.created - a.created)
      .slice(0, limit)
      .map((pi) => this.expandIntent(pi, expand));
    return { object: "search_result", url: "/v1/payment_intents/search", data, has_more: false, next_page: null };
  }

  private createRefund(params: Json): Json {
    const piId = str(params.payment_intent);
    if (!piId) throw invalid("Missing required param: payment_intent.", { code: "parameter_missing", param: "payment_intent" });
    const intent = this.paymentIntents.get(piId);
    if (!intent) throw invalid(`No such payment_intent: '${piId}'`, { code: "resource_missing", param: "payment_intent" });
    const charge = intent.latest_charge ? this.charges.get(intent.latest_charge) : undefined;
    if (intent.status !== "succeeded" || !charge || charge.status !== "succeeded") {
      throw invalid(`This PaymentIntent (${piId}) does not have a successful charge to refund.`, { code: "charge_not_refundable", param: "payment_intent" });
    }
    const left = charge.amount - charge.amount_refunded;
    if (left === 0) throw invalid(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" });
    const amount = params.amount === undefined ? left : Number(params.amount);
    if (!Number.isSafeInteger(amount) || amount < 1) throw invalid("Invalid integer: amount", { code: "parameter_invalid_integer", param: "amount" });
    if (amount > left) {
      throw invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, { code: "amount_too_large", param: "amount" });
    }
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    const refund = {
      id: `re_${token(24)}`,
      object: "refund",
      amount,
      currency: charge.currency,
      charge: charge.id,
      payment_intent: intent.id,
      status: "succeeded",
      reason: str(params.reason),
      failure_reason: null,
      metadata: params.metadata ?? {},
      created: now(),
    };
    this.refunds.set(refund.id, refund);
    return refund;
  }
}

export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  return new FakeStripe(options).listen();
}

/** A small seeded PRNG (mulberry32) so fault schedules are reproducible. */
export { seededRandom };

// ---------------------------------------------------------------------------------------------

function pick(kind: FaultKind | readonly FaultKind[], random: () => number): FaultKind {
  if (typeof kind === "string") return kind;
  return kind[Math.min(kind.length - 1, Math.floor(random() * kind.length))] ?? "500";
}

function thrower(error: HttpError): never {
  throw error;
}

function header(req: http.IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** `a[b][0]=x&c=y` (the SDK's encoding) → `{ a: { b: ["x"] }, c: "y" }`. */
export function decodeForm(body: string): Json {
  const root: Json = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const m = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(key);
    if (!m || m[1] === undefined) continue;
    const path = [m[1], ...[...(m[2] ?? "").matchAll(/\[([^\]]*)\]/g)].map((x) => x[1] ?? "")];
    let node: Json = root;
    path.forEach((segment, i) => {
      if (i === path.length - 1) {
        node[segment] = value;
        return;
      }
      const next = node[segment];
      if (!next || typeof next !== "object") node[segment] = {};
      node = node[segment] as Json;
    });
  }
  return arraysFrom(root) as Json;
}

function arraysFrom(value: unknown): unknown {
  if (!value || typeof value !== "object") return value;
  const obj = value as Json;
  const keys = Object.keys(obj);
  const mapped = Object.fromEntries(keys.map((k) => [k, arraysFrom(obj[k])]));
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => mapped[k]);
  }
  return mapped;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const obj = value as Json;
    return `{${Object.keys(obj)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

function str(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : null;
}

function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return typeof v === "string" ? [v] : [];
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, "$1");
}

function token(n: number): string {
  return randomBytes(n).toString("base64url").replace(/[-_]/g, "x").slice(0, n);
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
