import { Button, Link, Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";

export interface PaymentFailedEmailProps {
  customerName: string | null;
  invoiceNumber: string;
  /** "$10.00" */
  amount: string;
  /** "Visa ending 0341", when known. */
  cardLabel: string | null;
  /** The bank's reason in plain words: "Your card was declined." */
  reason: string;
  /** The day we charge again, in the customer's calendar; null when we will not retry this card. */
  retryOn: string | null;
  /** The portal's payment methods page. */
  updateCardUrl: string;
}

export const paymentFailedSubject = (p: Pick<PaymentFailedEmailProps, "invoiceNumber" | "retryOn">) =>
  p.retryOn ? `Your payment for invoice ${p.invoiceNumber} did not go through` : `Please update your card to pay invoice ${p.invoiceNumber}`;

/** A charge was declined: say when we retry (soft decline), or ask for a new card (hard decline). */
export function PaymentFailedEmail(p: PaymentFailedEmailProps) {
  return (
    <EmailLayout preview={p.retryOn ? `We'll try again on ${p.retryOn}` : "Please update your card"}>
      <Text style={styles.heading}>{p.retryOn ? "Your payment did not go through" : "Please update your card"}</Text>
      <Text style={styles.text}>
        {p.customerName ? `Hi ${p.customerName}, we` : "We"} could not take the payment of {p.amount} for invoice {p.invoiceNumber}
        {p.cardLabel ? ` from your ${p.cardLabel}` : ""}. {p.reason}
      </Text>
      <Text style={styles.text}>
        {p.retryOn
          ? `We'll try again automatically on ${p.retryOn}, or you can update your card now and we'll charge it straight away.`
          : "We won't try this card again automatically. Please add a new card and we'll charge it straight away."}
      </Text>
      <Button href={p.updateCardUrl} style={styles.button}>
        Update your card
      </Button>
      <Text style={styles.muted}>
        Or paste this link into your browser: <Link href={p.updateCardUrl}>{p.updateCardUrl}</Link>
      </Text>
    </EmailLayout>
  );
}
