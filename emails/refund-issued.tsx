import { Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";
import { CallToAction, greet } from "./parts";

export interface RefundIssuedEmailProps {
  customerName: string | null;
  /** "A$10.00" */
  amount: string;
  /** "Visa ending 4242", when known. */
  cardLabel: string | null;
  creditNoteNumber: string;
  invoiceNumber: string;
  /** The day of the refund, in the customer's calendar. */
  refundedOn: string;
  invoiceUrl: string;
}

export const refundIssuedSubject = (p: Pick<RefundIssuedEmailProps, "amount" | "invoiceNumber">) => `Refund of ${p.amount} for invoice ${p.invoiceNumber}`;

/** Money went back to the card, through a credit note. */
export function RefundIssuedEmail(p: RefundIssuedEmailProps) {
  return (
    <EmailLayout preview={`We refunded ${p.amount}`}>
      <Text style={styles.heading}>Refund issued</Text>
      <Text style={styles.text}>
        {greet(p.customerName, `We refunded ${p.amount}${p.cardLabel ? ` to your ${p.cardLabel}` : ""} on ${p.refundedOn} (credit note ${p.creditNoteNumber} for invoice ${p.invoiceNumber}).`)}
      </Text>
      <Text style={styles.text}>Refunds usually reach your account within 5 to 10 business days, depending on your bank.</Text>
      <CallToAction href={p.invoiceUrl} label="View invoice" />
    </EmailLayout>
  );
}
