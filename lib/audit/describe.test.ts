import { describe, expect, it } from "vitest";
import { describeActor, describeEntry, type DescribableEntry } from "./describe";
import { formatterFor } from "@/lib/format";

const fmt = formatterFor({ locale: "en-AU" });

const entry = (over: Partial<DescribableEntry>): DescribableEntry => ({
  source: "audit",
  action: "customer.created",
  before: null,
  after: null,
  invoice_number: null,
  credit_note_number: null,
  currency: "aud",
  entity_id: null,
  ...over,
});

describe("who acted, for people", () => {
  it("names staff by name and email, API keys by their name, Tally's jobs by what they are", () => {
    expect(describeActor({ source: "audit", type: "user", id: "usr_1", email: "ann@example.com", name: "Ann Lee" })).toBe("Ann Lee (ann@example.com)");
    expect(describeActor({ source: "audit", type: "user", id: "usr_1", email: "ann@example.com", name: null })).toBe("ann@example.com");
    expect(describeActor({ source: "audit", type: "api_key", id: "key_1", email: "Production app", name: null })).toBe("API key “Production app”");
    expect(describeActor({ source: "audit", type: "system", id: "billing-run", email: null, name: null })).toBe("Tally (the billing run)");
    expect(describeActor({ source: "audit", type: "webhook", id: "evt_1", email: null, name: null })).toBe("Stripe (webhook)");
  });
});

describe("what happened, in words", () => {
  it("a refund reads as a refund, with the amount in the invoice's currency", () => {
    const text = describeEntry(entry({ action: "credit_note.created", after: { outcome: "refund", amount: 400 }, invoice_number: "TLY-000007", credit_note_number: "CN-000002" }), fmt);
    expect(text).toBe("Refunded $4.00 to the card for invoice TLY-000007 (credit note CN-000002)");
  });

  it("a payment says how much moved and from which card, in the payment's currency", () => {
    const visa = { amount: 2400, currency: "aud", method: "card", brand: "visa", last4: "4242" };
    expect(describeEntry(entry({ action: "invoice.paid", invoice_number: "TLY-000003", payment: visa }), fmt)).toBe("Paid $24.00 with Visa …4242 — invoice TLY-000003");
    expect(describeEntry(entry({ action: "invoice.paid", invoice_number: "TLY-000003", payment: { ...visa, currency: "usd" } }), fmt)).toBe("Paid US$24.00 with Visa …4242 — invoice TLY-000003");
    expect(describeEntry(entry({ action: "invoice.paid", invoice_number: "TLY-000004", payment: { amount: 2400, currency: "aud", method: "bank_transfer", brand: null, last4: null } }), fmt)).toBe(
      "Paid $24.00 by bank transfer — invoice TLY-000004",
    );
    // Settled without a payment (credit, a credit note): no amount to claim.
    expect(describeEntry(entry({ action: "invoice.paid", invoice_number: "TLY-000005" }), fmt)).toBe("Invoice TLY-000005 paid");
    expect(describeEntry(entry({ action: "payment.failed", invoice_number: "TLY-000003", after: { declineCode: "insufficient_funds" }, payment: visa }), fmt)).toBe(
      "Payment of $24.00 with Visa …4242 failed (insufficient_funds) — invoice TLY-000003",
    );
    expect(describeEntry(entry({ action: "credit_note.created", after: { outcome: "refund", amount: 400 }, invoice_number: "TLY-000007", credit_note_number: "CN-000002", payment: visa }), fmt)).toBe(
      "Refunded $4.00 to Visa …4242 for invoice TLY-000007 (credit note CN-000002)",
    );
  });

  it("a credit note to the balance stays a credit note", () => {
    expect(describeEntry(entry({ action: "credit_note.created", after: { outcome: "credit", amount: 250 }, invoice_number: "TLY-1", credit_note_number: "CN-1" }), fmt)).toBe(
      "Credit note CN-1 for $2.50 on invoice TLY-1: credited to the balance",
    );
  });

  it("staff changes say what changed", () => {
    expect(describeEntry(entry({ action: "user.role_changed", before: { role: "support" }, after: { role: "billing_admin" } }), fmt)).toBe("Role changed from support to billing admin");
    expect(describeEntry(entry({ action: "permission.denied", entity_id: "staff.manage", after: { role: "finance_viewer" } }), fmt)).toBe("Refused: the finance viewer role may not staff manage");
    expect(describeEntry(entry({ action: "api_key.created", after: { name: "CI", livemode: false } }), fmt)).toBe("Test API key “CI” created");
  });

  it("a cancellation flow says the reason given and the offer made, or why none was", () => {
    const started = (after: object) => describeEntry(entry({ action: "retention.cancel_started", after }), fmt);
    expect(started({ reason: "too_expensive", offer: { kind: "discount", percent: 25, months: 3 }, withheld: null })).toBe("Cancellation flow started (“It's too expensive”); offered 25% off for 3 months");
    expect(started({ reason: "not_using", offer: { kind: "pause", maxMonths: 1 }, withheld: null })).toBe("Cancellation flow started (“I'm not using it enough”); offered a pause of up to 1 month");
    expect(started({ reason: "too_expensive", offer: null, withheld: "discount_shown_recently" })).toBe("Cancellation flow started (“It's too expensive”); no offer: a discount was offered in the last 12 months");
    expect(started({ reason: "other", offer: null, withheld: null })).toBe("Cancellation flow started (“Other”); no offer");
  });

  it("an entry without a currency never prints a broken amount", () => {
    expect(describeEntry(entry({ action: "credit_note.created", currency: null, after: { outcome: "refund", amount: 400 } }), fmt)).toBe("Refunded to the card for an invoice");
  });

  it("a profile update lists only what changed, in words", () => {
    const before = { id: "cus_1", name: "Ann", email: "a@example.com", defaultPaymentMethodId: null };
    const after = { id: "cus_1", name: "Ann", email: "a@example.com", defaultPaymentMethodId: "pm_2" };
    expect(describeEntry(entry({ action: "customer.updated", before, after }), fmt)).toBe("Profile updated: default payment method");
  });

  it("an action says its catalog sentence; one no longer written reads as its name in words, never as a dotted code", () => {
    expect(describeEntry(entry({ action: "subscription.trial_end" }), fmt)).toBe("Trial ended");
    expect(describeEntry(entry({ action: "invoice.voided", invoice_number: "TLY-000009" }), fmt)).toBe("Invoice TLY-000009 voided: no longer owed");
    expect(describeEntry(entry({ action: "number_series.suffix_removed" }), fmt)).toBe("Number series suffix removed");
  });
});
