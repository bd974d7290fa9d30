import { createElement, type FunctionComponent } from "react";
import { describe, expect, it } from "vitest";
import { CancellationConfirmedEmail, cancellationConfirmedSubject } from "@/emails/cancellation-confirmed";
import { CardExpiringEmail, cardExpiringSubject } from "@/emails/card-expiring";
import { InvoiceIssuedEmail, invoiceIssuedSubject } from "@/emails/invoice-issued";
import { PlanChangedEmail, planChangedSubject } from "@/emails/plan-changed";
import { RefundIssuedEmail, refundIssuedSubject } from "@/emails/refund-issued";
import { renderEmail } from "@/emails/render";
import { SubscriptionPausedEmail, subscriptionPausedSubject } from "@/emails/subscription-paused";
import { SubscriptionResumedEmail, subscriptionResumedSubject } from "@/emails/subscription-resumed";
import { SubscriptionStartedEmail, subscriptionStartedSubject } from "@/emails/subscription-started";
import { TrialEndingEmail, trialEndingSubject } from "@/emails/trial-ending";

const portal = "https://billing.example.test/";
const hosted = "https://billing.example.test/i/tok_123";
const cards = "https://billing.example.test/payment-methods";

async function expectRendered<P extends object>(component: FunctionComponent<P>, props: P, facts: string[]) {
  const rendered = await renderEmail(createElement(component, props));
  // React separates adjacent text nodes with <!-- --> in HTML.
  const html = rendered.html.replaceAll("<!-- -->", "");
  const { text } = rendered;
  expect(html).toContain("Tally");
  for (const fact of facts) {
    expect(html, `HTML has ${fact}`).toContain(fact.replace(/&/g, "&amp;"));
    expect(text, `text has ${fact}`).toContain(fact);
  }
}

describe("email templates render HTML and text with their key facts", () => {
  it("subscription-started: plan, price with tax note, trial end or next billing date, portal link", async () => {
    const trial = { customerName: "Ada", planName: "Pro", price: "A$29.00 / month", taxNote: "incl. GST", trialEndsOn: "24 Mar 2026", nextBillingOn: "24 Mar 2026", portalUrl: portal };
    await expectRendered(SubscriptionStartedEmail, trial, ["Pro", "A$29.00 / month", "incl. GST", "24 Mar 2026", portal]);
    expect(subscriptionStartedSubject(trial)).toBe("Your Pro trial has started");
    const paid = { ...trial, trialEndsOn: null, nextBillingOn: "10 Apr 2026" };
    await expectRendered(SubscriptionStartedEmail, paid, ["Your next billing date is 10 Apr 2026", portal]);
    expect(subscriptionStartedSubject(paid)).toBe("Welcome to Pro");
  });

  it("trial-ending: date, amount, add-a-card link when none is on file", async () => {
    const p = { customerName: null, planName: "Pro", trialEndsOn: "24 Mar 2026", amount: "A$29.00 / month (incl. GST)", hasCard: false, portalUrl: portal, addCardUrl: cards };
    await expectRendered(TrialEndingEmail, p, ["24 Mar 2026", "A$29.00 / month (incl. GST)", "Add a card", cards]);
    expect(trialEndingSubject(p)).toBe("Your Pro trial ends on 24 Mar 2026");
    await expectRendered(TrialEndingEmail, { ...p, hasCard: true }, ["card on file", portal]);
  });

  it("invoice-issued: number, lines, total, due date, hosted pay link", async () => {
    const p = { customerName: "Ada", invoiceNumber: "TLY-0042", lines: [{ description: "Pro × 1", amount: "A$29.00" }], tax: { label: "GST (included)", amount: "A$2.64" }, amountDue: "A$29.00", dueOn: "17 Mar 2026", invoiceUrl: hosted };
    await expectRendered(InvoiceIssuedEmail, p, ["TLY-0042", "Pro × 1", "A$29.00", "A$2.64", "17 Mar 2026", "Pay invoice", hosted]);
    expect(invoiceIssuedSubject(p)).toBe("Invoice TLY-0042 for A$29.00");
  });

  it("plan-changed: old → new, charged now, next invoice", async () => {
    const p = { customerName: "Ada", fromPlan: "Starter", toPlan: "Pro", effectiveOn: "20 Mar 2026", appliedNow: true, chargedNow: "A$12.90", creditedNow: null, nextInvoiceOn: "10 Apr 2026", portalUrl: portal };
    await expectRendered(PlanChangedEmail, p, ["Starter → Pro", "A$12.90", "20 Mar 2026", "10 Apr 2026", portal]);
    expect(planChangedSubject(p)).toBe("Your plan is now Pro");
    await expectRendered(PlanChangedEmail, { ...p, chargedNow: null, creditedNow: "A$4.00" }, ["credited A$4.00"]);
  });

  it("cancellation-confirmed: end date, credit", async () => {
    const later = { customerName: "Ada", planName: "Pro", endsOn: "10 Apr 2026", endedNow: false, credited: null, portalUrl: portal };
    await expectRendered(CancellationConfirmedEmail, later, ["ends on 10 Apr 2026", portal]);
    expect(cancellationConfirmedSubject(later)).toBe("Your Pro subscription will be canceled");
    const now = { ...later, endsOn: "20 Mar 2026", endedNow: true, credited: "A$6.00" };
    await expectRendered(CancellationConfirmedEmail, now, ["ended on 20 Mar 2026", "A$6.00"]);
    expect(cancellationConfirmedSubject(now)).toBe("Your Pro subscription has been canceled");
  });

  it("subscription-paused and subscription-resumed", async () => {
    const paused = { customerName: "Ada", planName: "Pro", pausedOn: "20 Mar 2026", resumesOn: "20 Apr 2026", portalUrl: portal };
    await expectRendered(SubscriptionPausedEmail, paused, ["20 Mar 2026", "resumes automatically on 20 Apr 2026", portal]);
    expect(subscriptionPausedSubject(paused)).toBe("Your Pro subscription is paused");
    const resumed = { customerName: "Ada", planName: "Pro", price: "A$29.00 / month (incl. GST)", nextBillingOn: "20 May 2026", portalUrl: portal };
    await expectRendered(SubscriptionResumedEmail, resumed, ["A$29.00 / month (incl. GST)", "20 May 2026", portal]);
    expect(subscriptionResumedSubject(resumed)).toBe("Your Pro subscription has resumed");
  });

  it("refund-issued: amount, card, credit note number, invoice link", async () => {
    const p = { customerName: "Ada", amount: "A$6.00", cardLabel: "Visa ending 4242", creditNoteNumber: "CN-0007", invoiceNumber: "TLY-0042", refundedOn: "20 Mar 2026", invoiceUrl: hosted };
    await expectRendered(RefundIssuedEmail, p, ["A$6.00", "Visa ending 4242", "CN-0007", "20 Mar 2026", hosted]);
    expect(refundIssuedSubject(p)).toBe("Refund of A$6.00 for invoice TLY-0042");
  });

  it("card-expiring: card, month, update link", async () => {
    const p = { customerName: "Ada", cardLabel: "Visa ending 4242", expiresMonth: "April 2026", updateCardUrl: cards };
    await expectRendered(CardExpiringEmail, p, ["Visa ending 4242", "end of April 2026", "Update your card", cards]);
    expect(cardExpiringSubject(p)).toBe("Your Visa ending 4242 is expiring soon");
  });
});
