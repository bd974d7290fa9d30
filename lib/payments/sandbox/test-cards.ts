/**
 * Stripe's published test cards and PaymentMethod ids (docs.stripe.com/testing), with the behaviour
 * Stripe gives them. The sandbox accepts these and nothing else, so no real card is ever typed in.
 */
export type TestCardBehavior =
  | { kind: "succeeds" }
  | { kind: "declines"; failureCode: string; declineCode: string; message: string }
  | { kind: "attaches_then_fails" }
  | { kind: "auth_on_setup" }
  | { kind: "auth_always" }
  | { kind: "disputed" };

export interface TestCard {
  number: string;
  token: string;
  brand: string;
  label: string;
  behavior: TestCardBehavior;
}

const declined = (declineCode: string, failureCode: string, message: string): TestCardBehavior => ({
  kind: "declines",
  declineCode,
  failureCode,
  message,
});

export const testCards: readonly TestCard[] = [
  { number: "4242424242424242", token: "pm_card_visa", brand: "visa", label: "Succeeds", behavior: { kind: "succeeds" } },
  { number: "5555555555554444", token: "pm_card_mastercard", brand: "mastercard", label: "Succeeds (Mastercard)", behavior: { kind: "succeeds" } },
  {
    number: "4000000000000002",
    token: "pm_card_chargeDeclined",
    brand: "visa",
    label: "Generic decline",
    behavior: declined("generic_decline", "card_declined", "Your card was declined."),
  },
  {
    number: "4000000000009995",
    token: "pm_card_chargeDeclinedInsufficientFunds",
    brand: "visa",
    label: "Insufficient funds",
    behavior: declined("insufficient_funds", "card_declined", "Your card has insufficient funds."),
  },
  {
    number: "4000000000000069",
    token: "pm_card_chargeDeclinedExpiredCard",
    brand: "visa",
    label: "Expired card",
    behavior: declined("expired_card", "expired_card", "Your card has expired."),
  },
  {
    number: "4000000000000119",
    token: "pm_card_chargeDeclinedProcessingError",
    brand: "visa",
    label: "Processing error",
    behavior: declined("processing_error", "processing_error", "An error occurred while processing your card. Try again in a little bit."),
  },
  { number: "4000000000000341", token: "pm_card_chargeCustomerFail", brand: "visa", label: "Attaches, every charge fails", behavior: { kind: "attaches_then_fails" } },
  { number: "4000002500003155", token: "pm_card_authenticationRequiredOnSetup", brand: "visa", label: "Authentication at setup only", behavior: { kind: "auth_on_setup" } },
  { number: "4000002760003184", token: "pm_card_authenticationRequired", brand: "visa", label: "Always requires authentication", behavior: { kind: "auth_always" } },
  { number: "4000000000000259", token: "pm_card_createDispute", brand: "visa", label: "Succeeds, then disputed", behavior: { kind: "disputed" } },
];

export function testCardByToken(token: string): TestCard | undefined {
  return testCards.find((c) => c.token === token);
}

export function testCardByNumber(number: string): TestCard | undefined {
  const digits = number.replace(/[\s-]/g, "");
  return testCards.find((c) => c.number === digits);
}
