import type { PaymentMethodRow } from "@/db/queries/customers";
import { gateway } from "@/lib/payments";
import { isGatewayError } from "@/lib/payments/gateway-error";
import type { ServiceContext } from "../context";
import type { AttemptResult } from "../invoices/attempt-payment";
import { limitCardSetup } from "../payments/card-testing";
import { confirmPath, issueConfirmToken } from "../payments/sca/confirm-token";
import { saveCard } from "./attach-payment-method";
import { checkSetupConfirmation, issueSetupConfirmation, sandboxSetupAnswer } from "./sandbox-card-setup";

/** What happened to one open invoice when the new default card was charged for it. */
export interface RetriedInvoice {
  invoiceId: string;
  number: string | null;
  /** What the charge was for (paid) or what is still owed (otherwise), in minor units. */
  amount: number;
  currency: string;
  outcome: "paid" | "requires_action" | "failed";
  /** The bank's words when the charge failed. */
  message: string | null;
  /** Where to confirm with the bank, when it asks. */
  confirmPath: string | null;
}

export type AddCardResult =
  | { status: "saved"; method: PaymentMethodRow; isDefault: boolean; invoices: RetriedInvoice[] }
  | { status: "declined"; message: string }
  /** Sandbox only: the bank asks the customer to authenticate the card; `confirmation` goes back with Confirm. */
  | { status: "requires_confirmation"; confirmation: string };

export interface AddCardInput {
  customerId: string;
  /** Sandbox: a test card token; Stripe: the PaymentMethod of a SetupIntent confirmed in the browser. */
  token: string;
  makeDefault: boolean;
  ip: string | null;
  /** The sandbox's confirm step was passed: the value issued with `requires_confirmation`. */
  confirmation?: string;
}

/**
 * The portal's "add a card": set the card up (the sandbox answers as Stripe's SetupIntent would),
 * save it, and when it becomes the default, charge the customer's open invoices with it at once
 * and report what each charge did.
 */
export async function addCard(ctx: ServiceContext, input: AddCardInput): Promise<AddCardResult> {
  const declined = await declinedAtSetup(input);
  if (declined) return { status: "declined", message: `${declined} Your card was not saved. Please try another card.` };
  if (gateway().name === "sandbox") {
    const answer = sandboxSetupAnswer(input.token);
    if (answer.kind === "requires_authentication") {
      if (!input.confirmation) return { status: "requires_confirmation", confirmation: issueSetupConfirmation(input.customerId, input.token, ctx.now) };
      const check = checkSetupConfirmation(input.confirmation, input.customerId, input.token, ctx.now);
      if (check !== "ok") {
        return {
          status: "declined",
          message: check === "expired" ? "The confirmation took too long. Your card was not saved; please enter it again." : "Your bank did not confirm this card. It was not saved.",
        };
      }
    }
  }
  let saved: Awaited<ReturnType<typeof saveCard>>;
  try {
    saved = await saveCard(ctx, { customerId: input.customerId, token: input.token, makeDefault: input.makeDefault, ip: input.ip });
  } catch (error) {
    // Stripe would not attach it (its bank declined): nothing was saved, the default is unchanged.
    if (isGatewayError(error, "declined")) return { status: "declined", message: `${error.userMessage} Your card was not saved. Please try another card.` };
    throw error;
  }
  return {
    status: "saved",
    method: saved.method,
    isDefault: saved.becameDefault,
    invoices: saved.retried.filter((r) => r.payment !== null).map((r) => retriedInvoice(r, ctx.now)),
  };
}

/**
 * A card that fails at setup is never saved (nor made the default). With Stripe the Payment
 * Element confirms a SetupIntent in the browser and a card the bank refuses never reaches Tally
 * (and Stripe's attach refuses it: saveCard throws a declined GatewayError). The sandbox has no
 * browser step, so its answer for the test card is taken here, for every flow where a customer
 * enters a card (adding one in the portal, checkout): the bank's words, or null when it is set up.
 * A refused setup counts towards the card-testing limits like a saved one.
 */
export async function declinedAtSetup(input: { customerId: string; token: string; ip?: string | null }): Promise<string | null> {
  if (gateway().name !== "sandbox") return null;
  const answer = sandboxSetupAnswer(input.token);
  if (answer.kind !== "declined") return null;
  await limitCardSetup({ customerId: input.customerId, ip: input.ip ?? null });
  return answer.message;
}

export function retriedInvoice({ invoice, payment }: AttemptResult, now: Date): RetriedInvoice {
  const base = { invoiceId: invoice.id, number: invoice.number, currency: invoice.currency };
  if (invoice.status === "paid") return { ...base, amount: invoice.amountPaid, outcome: "paid", message: null, confirmPath: null };
  if (payment?.status === "requires_action") {
    return { ...base, amount: invoice.amountRemaining, outcome: "requires_action", message: null, confirmPath: confirmPath(issueConfirmToken(payment.id, now).token) };
  }
  return { ...base, amount: invoice.amountRemaining, outcome: "failed", message: payment?.failureMessage ?? null, confirmPath: null };
}
