import { Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";

export interface AccountRestoredEmailProps {
  customerName: string | null;
  /** The invoice whose payment settled the account; null when it was settled another way. */
  invoiceNumber: string | null;
  /** What was paid, e.g. "$10.00". */
  amount: string | null;
}

export const accountRestoredSubject = () => "Thanks — your payment went through and your service is restored";

/** A payment settled everything overdue: the customer is back to active. */
export function AccountRestoredEmail(p: AccountRestoredEmailProps) {
  return (
    <EmailLayout preview="Your service is restored">
      <Text style={styles.heading}>Your service is restored</Text>
      <Text style={styles.text}>
        {p.customerName ? `Hi ${p.customerName}, thanks` : "Thanks"}
        {p.invoiceNumber && p.amount ? `: we received your payment of ${p.amount} for invoice ${p.invoiceNumber}.` : ": nothing is overdue on your account any more."} Your
        account is in good standing and your service is fully restored.
      </Text>
    </EmailLayout>
  );
}
