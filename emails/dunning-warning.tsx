import { Text } from "@react-email/components";
import { UpdateCardButton, type DunningEmailProps } from "./dunning-reminder";
import { EmailLayout, styles } from "./layout";

export const dunningWarningSubject = (p: Pick<DunningEmailProps, "invoiceNumber">) => `Action needed: your service will be blocked unless invoice ${p.invoiceNumber} is paid`;

/** Day 7 of dunning: the account is in warning, service will be blocked. */
export function DunningWarningEmail(p: DunningEmailProps) {
  return (
    <EmailLayout preview={`Pay ${p.amount} to keep your service`}>
      <Text style={styles.heading}>Your service is at risk</Text>
      <Text style={styles.text}>
        {p.customerName ? `Hi ${p.customerName}, we` : "We"} have still not been able to collect {p.amount} for invoice {p.invoiceNumber}.
        {p.blockedOn ? ` Unless it is paid, your service will be blocked on ${p.blockedOn}.` : " Unless it is paid, your service will be blocked."}
      </Text>
      <Text style={styles.text}>Update your card now and we&apos;ll charge it straight away.</Text>
      <UpdateCardButton url={p.updateCardUrl} />
    </EmailLayout>
  );
}
