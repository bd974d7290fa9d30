import { Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";
import { CallToAction, greet } from "./parts";

export interface CardExpiringEmailProps {
  customerName: string | null;
  /** "Visa ending 4242" */
  cardLabel: string;
  /** "April 2026" */
  expiresMonth: string;
  updateCardUrl: string;
}

export const cardExpiringSubject = (p: Pick<CardExpiringEmailProps, "cardLabel">) => `Your ${p.cardLabel} is expiring soon`;

/** The default card expires at the end of next month: ask for a new one before a charge fails. */
export function CardExpiringEmail(p: CardExpiringEmailProps) {
  return (
    <EmailLayout preview={`Your card expires at the end of ${p.expiresMonth}`}>
      <Text style={styles.heading}>Your card is expiring</Text>
      <Text style={styles.text}>
        {greet(p.customerName, `Your ${p.cardLabel} expires at the end of ${p.expiresMonth}. Please update it so your subscription carries on without interruption.`)}
      </Text>
      <CallToAction href={p.updateCardUrl} label="Update your card" />
    </EmailLayout>
  );
}
