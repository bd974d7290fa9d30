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
  /** Derived from stable ids (`inv_<invoice>_attempt_<n>`): a retry can never charge twice. */
  idempotencyKey: string;
  metadata: Record<string, string>;
}

export type ChargeResult =
  | { status: "succeeded"; gatewayId: string; fee: number | null }
  | { status: "requires_action"; gatewayId: string }
  | { status: "failed"; gatewayId: string | null; failureCode: string; declineCode: string | null; message: string };

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

/** The payment rail. Adapters: the sandbox (embedded default); Stripe arrives with the payments work. */
export interface PaymentGateway {
  readonly name: "sandbox" | "stripe";
  /** Save a payment method from a gateway token (`pm_card_visa`, a sandbox card token). */
  attachPaymentMethod(input: { customerId: string; token: string }): Promise<CardDetails>;
  /** Charge a saved payment method off-session. Same idempotency key → same result, one charge. */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** Refund (part of) a succeeded charge. Same idempotency key → same result, one refund. */
  refund(request: RefundRequest): Promise<RefundResult>;
}
