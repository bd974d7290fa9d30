import { sandboxIsGateway } from "./mode";
import type { PaymentGateway } from "./port";
import { sandboxGateway } from "./sandbox/sandbox-gateway";
import { stripeGatewayFor } from "./stripe/gateway";
import { decideTaxWithStripe, type TaxQuestion } from "./stripe/tax-calculation";
import type { ProvidedTaxDecision } from "@/lib/tax/provided";

export type { PaymentGateway, CardDetails, ChargeRequest, ChargeResult, RefundRequest, RefundResult, SetupIntent } from "./port";

/**
 * The gateway in use: Stripe when STRIPE_SECRET_KEY is set (STRIPE_API_BASE points it at another
 * host, e.g. a local fake), the embedded sandbox otherwise. Read on every call, so a test or a key
 * rotation switches without a restart; the Stripe adapter is cached per key and shares its rate limiter.
 */
export function gateway(): PaymentGateway {
  if (sandboxIsGateway()) return sandboxGateway;
  return stripeGatewayFor(process.env.STRIPE_SECRET_KEY ?? "", process.env.STRIPE_API_BASE || null);
}

/**
 * Stripe Tax, when Stripe is the gateway (it shares the gateway's client and rate limiter); null on
 * the sandbox, which has no tax service.
 */
export function stripeTax(): ((question: TaxQuestion) => Promise<ProvidedTaxDecision>) | null {
  if (sandboxIsGateway()) return null;
  const { deps } = stripeGatewayFor(process.env.STRIPE_SECRET_KEY ?? "", process.env.STRIPE_API_BASE || null);
  return (question) => decideTaxWithStripe(deps, question);
}

/** The idempotency key of the n-th charge attempt of an invoice: stable across retries and replays. */
export function chargeIdempotencyKey(invoiceId: string, attempt: number): string {
  return `inv_${invoiceId}_attempt_${attempt}`;
}

/** The idempotency key of a credit note's refund against one payment: stable across retries. */
export function refundIdempotencyKey(creditNoteId: string, paymentId: string): string {
  return `cn_${creditNoteId}_refund_${paymentId}`;
}
