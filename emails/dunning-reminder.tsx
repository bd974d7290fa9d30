import { Button, Link, Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";

export interface DunningEmailProps {
  customerName: string | null;
  invoiceNumber: string;
  /** What is owed, e.g. "$10.00". */
  amount: string;
  /** The day service is blocked (reminder and warning), in the customer's calendar. */
  blockedOn: string | null;
  /** The portal's payment methods page. */
  updateCardUrl: string;
}

export const dunningReminderSubject = (p: Pick<DunningEmailProps, "invoiceNumber">) => `Reminder: invoice ${p.invoiceNumber} is still unpaid`;

export function UpdateCardButton({ url }: { url: string }) {
  return (
    <>
      <Button href={url} style={styles.button}>
        Update your card
      </Button>
      <Text style={styles.muted}>
        Or paste this link into your browser: <Link href={url}>{url}</Link>
      </Text>
    </>
  );
}

/** Day 3 of dunning: a friendly reminder, service unaffected. */
export function DunningReminderEmail(p: DunningEmailProps) {
  return (
    <EmailLayout preview={`${p.amount} is still owed on invoice ${p.invoiceNumber}`}>
      <Text style={styles.heading}>Your payment is still outstanding</Text>
      <Text style={styles.text}>
        {p.customerName ? `Hi ${p.customerName}, we` : "We"} still haven&apos;t been able to collect {p.amount} for invoice {p.invoiceNumber}. Please update your card and
        we&apos;ll charge it straight away.
      </Text>
      {p.blockedOn ? <Text style={styles.text}>Your service continues for now; if the invoice is still unpaid on {p.blockedOn}, it will be blocked.</Text> : null}
      <UpdateCardButton url={p.updateCardUrl} />
    </EmailLayout>
  );
}
