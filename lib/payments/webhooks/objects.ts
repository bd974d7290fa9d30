import { z } from "zod";
import { MalformedEvent, type WebhookEvent } from "./types";

/**
 * The fields of Stripe's objects that the handlers read, checked with zod instead of trusted from
 * the SDK's types: an event rendered for another API version still parses, and an unexpected
 * shape is a MalformedEvent (recorded, acknowledged) rather than a crash retried for three days.
 */

/** An expandable reference: `"pi_123"` or `{ id: "pi_123", … }`. */
const ref = z.union([z.string(), z.looseObject({ id: z.string() })]);
const metadata = z.record(z.string(), z.string()).nullish().transform((m) => m ?? {});
const minor = z.number().int();

export function refId(value: z.infer<typeof ref> | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : value.id;
}

export const paymentIntentObject = z.looseObject({
  id: z.string(),
  status: z.string(),
  amount: minor.optional(),
  metadata,
  last_payment_error: z
    .looseObject({ code: z.string().nullish(), decline_code: z.string().nullish(), advice_code: z.string().nullish(), message: z.string().nullish() })
    .nullish(),
});
export type PaymentIntentObject = z.infer<typeof paymentIntentObject>;

export const cardObject = z.looseObject({
  brand: z.string(),
  last4: z.string(),
  exp_month: z.number().int(),
  exp_year: z.number().int(),
  fingerprint: z.string().nullish(),
});

export const paymentMethodObject = z.looseObject({
  id: z.string(),
  customer: ref.nullish(),
  card: cardObject.nullish(),
  metadata,
});
export type PaymentMethodObject = z.infer<typeof paymentMethodObject>;

export const setupIntentObject = z.looseObject({
  id: z.string(),
  status: z.string(),
  customer: ref.nullish(),
  /** Usually an id in webhooks; an expanded PaymentMethod when the sender expanded it. */
  payment_method: z.union([z.string(), paymentMethodObject]).nullish(),
  metadata,
  last_setup_error: z.looseObject({ code: z.string().nullish(), decline_code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});
export type SetupIntentObject = z.infer<typeof setupIntentObject>;

export const chargeObject = z.looseObject({
  id: z.string(),
  payment_intent: ref.nullish(),
  amount: minor,
  amount_refunded: minor,
  currency: z.string(),
  metadata,
});
export type ChargeObject = z.infer<typeof chargeObject>;

export const disputeObject = z.looseObject({
  id: z.string(),
  amount: minor,
  currency: z.string(),
  status: z.string(),
  reason: z.string(),
  charge: ref.nullish(),
  payment_intent: ref.nullish(),
  evidence_details: z.looseObject({ due_by: z.number().int().nullish() }).nullish(),
  /** Withdrawals are negative, reinstatements positive. */
  balance_transactions: z.array(z.union([z.string(), z.looseObject({ amount: minor })])).nullish(),
  created: z.number().int().optional(),
});
export type DisputeObject = z.infer<typeof disputeObject>;

export const earlyFraudWarningObject = z.looseObject({
  id: z.string(),
  actionable: z.boolean(),
  fraud_type: z.string(),
  charge: ref.nullish(),
  payment_intent: ref.nullish(),
});
export type EarlyFraudWarningObject = z.infer<typeof earlyFraudWarningObject>;

/** `event.data.object` as the schema says, or a MalformedEvent naming the first bad field. */
export function objectOf<S extends z.ZodType>(event: WebhookEvent, schema: S): z.output<S> {
  const parsed = schema.safeParse(event.data.object);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new MalformedEvent(`${event.type}: data.object.${issue?.path.join(".") ?? "?"} ${issue?.message ?? "is invalid"}`);
}
