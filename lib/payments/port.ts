/** The card details Tally keeps: never the number, only what Stripe would show. */
export interface CardDetails {
  gatewayId: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  fingerprint: string;
}

export interface ChargeRequest {
  amount: number;
  currency: string;
  paymentMethodGatewayId: string;
  customerId: string;
  /** The customer at the gateway (Stripe `cus_…`); null for the sandbox. */
  customerGatewayId?: string | null;
  /** Derived from stable ids (`inv_<invoice>_attempt_<n>`): a retry can never charge twice. */
  idempotencyKey: string;
  metadata: Record<string, string>;
}

/** Radar's (or the sandbox's) assessment of a charge. */
export interface RiskAssessment {
  riskLevel?: string | null;
  outcome?: string | null;
}

export type ChargeResult =
  | ({ status: "succeeded"; gatewayId: string; fee: number | null } & RiskAssessment)
  | ({ status: "requires_action"; gatewayId: string; clientSecret?: string | null } & RiskAssessment)
  | ({ status: "failed"; gatewayId: string | null; failureCode: string; declineCode: string | null; adviceCode?: string | null; message: string } & RiskAssessment)
  | { status: "pending"; gatewayId: string | null };

export interface RefundRequest {
  /** The charge to refund: the payment's gateway id. */
  paymentGatewayId: string;
  /** Integer minor units, at most what remains unrefunded on the charge. */
  amount: number;
  /** Derived from stable ids (`cn_<credit note>_refund_<payment>`): a retry can never refund twice. */
  idempotencyKey: string;
}

export type RefundResult =
  | { status: "succeeded"; gatewayId: string }
  | { status: "failed"; gatewayId: string | null; failureCode: string; message: string };

export interface SetupIntent {
  id: string;
  clientSecret: string;
}

/** The payment rail. Adapters: the sandbox (embedded default) and Stripe (lib/payments/stripe). */
export interface PaymentGateway {
  readonly name: "sandbox" | "stripe";
  /** The customer's id at the gateway, created on first use (returns `existing` when given). */
  ensureCustomer(input: { customerId: string; email: string; name: string | null; existing: string | null }): Promise<string>;
  /** Start saving a card in the browser (Stripe: a SetupIntent for the Payment Element). */
  createSetupIntent(input: { customerId: string; customerGatewayId: string }): Promise<SetupIntent>;
  /** Save a payment method from a gateway token (`pm_card_visa`, a sandbox card token). */
  attachPaymentMethod(input: { customerId: string; customerGatewayId?: string | null; token: string }): Promise<CardDetails>;
  /**
   * Detach a saved card from the customer at the gateway (a card removed in Tally, account
   * deletion). Keyed by a stable idempotency key (`pm_<id>_detach`); a card already detached counts as done.
   */
  detachPaymentMethod(input: { gatewayId: string; idempotencyKey: string }): Promise<void>;
  /**
   * Clear the person's name and email on the customer at the gateway (account deletion; Stripe
   * `POST /v1/customers/{id}` with both emptied). Keyed (`cus_<id>_erase`); a customer the gateway
   * no longer has counts as done.
   */
  eraseCustomer(input: { gatewayCustomerId: string; idempotencyKey: string }): Promise<void>;
  /** Charge a saved payment method off-session. Same idempotency key → same result, one charge. */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /**
   * Charge many saved payment methods off-session (the billing run's batches): each request
   * exactly as `charge` would answer it, results in request order; a request the gateway could not
   * answer gives its Error in its place (the payment stays pending for reconciliation). Stripe has
   * no batch call, so its adapter makes up to `concurrency` calls at once; the sandbox records the
   * whole batch in one statement.
   */
  chargeMany(requests: readonly ChargeRequest[], opts?: { concurrency?: number }): Promise<(ChargeResult | Error)[]>;
  /** Refund (part of) a succeeded charge. Same idempotency key → same result, one refund. */
  refund(request: RefundRequest): Promise<RefundResult>;
  /**
   * The gateway's current answer for a charge, by its gateway id, or — when our record never got
   * one (a crash between the gateway's answer and our commit) — by the idempotency key and
   * metadata it was sent with. Null when the gateway never saw it. Used after on-session
   * authentication, by webhooks when order matters, and by reconciliation.
   */
  retrieveCharge(input: { gatewayId?: string | null; idempotencyKey: string; metadata: Record<string, string> }): Promise<ChargeResult | null>;
  /** Finish a charge that needed authentication, with the customer present (sandbox: its confirm step; Stripe: re-read after stripe.js confirmed it). */
  completeAuthentication(gatewayId: string): Promise<ChargeResult>;
  /** A link to the object in the gateway's dashboard, for staff; null for the sandbox. */
  dashboardUrl(kind: "payment" | "customer" | "refund" | "dispute", gatewayId: string, livemode: boolean): string | null;
}
