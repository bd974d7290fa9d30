import { Button, Link, Section, Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";

export interface PaymentActionRequiredEmailProps {
  customerName: string | null;
  invoiceNumber: string;
  /** "$10.00" */
  amount: string;
  /** "Includes $0.91 GST", or null. */
  taxNote: string | null;
  /** "Visa ending 3184", when known. */
  cardLabel: string | null;
  confirmUrl: string;
  /** The last day the link works, in the customer's calendar: "17 Mar 2026". */
  expiresOn: string;
}

export const paymentActionRequiredSubject = (p: Pick<PaymentActionRequiredEmailProps, "invoiceNumber">) => `Confirm your payment for invoice ${p.invoiceNumber}`;

/** The bank asked for authentication (SCA): a signed link to confirm the payment on-session. */
export function PaymentActionRequiredEmail(p: PaymentActionRequiredEmailProps) {
  return (
    <EmailLayout preview={`Your bank asks you to confirm a payment of ${p.amount}`}>
      <Text style={styles.heading}>Confirm your payment</Text>
      <Text style={styles.text}>
        {p.customerName ? `Hi ${p.customerName}, your` : "Your"} bank asks you to confirm the payment of {p.amount} for invoice {p.invoiceNumber}
        {p.cardLabel ? ` with your ${p.cardLabel}` : ""}. It takes a moment, and nothing is charged until you confirm.
      </Text>
      <Section style={{ border: "1px solid #eef0f3", borderRadius: 6, padding: "8px 12px", margin: "12px 0" }}>
        <Text style={{ ...styles.text, margin: 0, fontWeight: 600 }}>
          {p.amount} · invoice {p.invoiceNumber}
        </Text>
        {p.taxNote ? <Text style={{ ...styles.muted, margin: 0 }}>{p.taxNote}</Text> : null}
      </Section>
      <Button href={p.confirmUrl} style={styles.button}>
        Confirm payment
      </Button>
      <Text style={styles.muted}>
        Or paste this link into your browser: <Link href={p.confirmUrl}>{p.confirmUrl}</Link>
      </Text>
      <Text style={styles.muted}>The link works until {p.expiresOn}. If you did not expect this payment, you can ignore this email: nothing is charged unless you confirm.</Text>
    </EmailLayout>
  );
}
