import type { PaymentGateway } from "./port";
import { sandboxGateway } from "./sandbox/sandbox-gateway";

export type { PaymentGateway, CardDetails, ChargeRequest, ChargeResult, RefundRequest, RefundResult } from "./port";

/** The gateway in use. The embedded default is the sandbox. */
export function gateway(): PaymentGateway {
  return sandboxGateway;
}

/** The idempotency key of the n-th charge attempt of an invoice: stable across retries and replays. */
export function chargeIdempotencyKey(invoiceId: string, attempt: number): string {
  return `inv_${invoiceId}_attempt_${attempt}`;
}

/** The idempotency key of a credit note's refund against one payment: stable across retries. */
export function refundIdempotencyKey(creditNoteId: string, paymentId: string): string {
  return `cn_${creditNoteId}_refund_${paymentId}`;
}
