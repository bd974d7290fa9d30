import { Text } from "@react-email/components";
import { UpdateCardButton, type DunningEmailProps } from "./dunning-reminder";
import { EmailLayout, styles } from "./layout";

export const dunningBlockedSubject = (p: Pick<DunningEmailProps, "invoiceNumber">) => `Your service has been blocked: invoice ${p.invoiceNumber} is unpaid`;

/** Day 14 of dunning: service blocked until the customer pays. */
export function DunningBlockedEmail(p: DunningEmailProps) {
  return (
    <EmailLayout preview={`Service blocked: ${p.amount} owed`}>
      <Text style={styles.heading}>Your service has been blocked</Text>
      <Text style={styles.text}>
        {p.customerName ? `Hi ${p.customerName}, we` : "We"} could not collect {p.amount} for invoice {p.invoiceNumber}, so your service has been blocked.
      </Text>
      <Text style={styles.text}>Update your card and we&apos;ll charge it straight away: your service is restored as soon as the payment goes through.</Text>
      <UpdateCardButton url={p.updateCardUrl} />
    </EmailLayout>
  );
}
