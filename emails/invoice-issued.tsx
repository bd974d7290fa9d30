import { Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";
import { AmountTable, CallToAction, greet } from "./parts";

export interface InvoiceIssuedEmailProps {
  customerName: string | null;
  invoiceNumber: string;
  lines: { description: string; amount: string }[];
  tax: { label: string; amount: string } | null;
  /** What is owed: "A$10.00". */
  amountDue: string;
  /** The due date in the customer's calendar; null when due on receipt. */
  dueOn: string | null;
  /** The hosted invoice page. */
  invoiceUrl: string;
}

export const invoiceIssuedSubject = (p: Pick<InvoiceIssuedEmailProps, "invoiceNumber" | "amountDue">) => `Invoice ${p.invoiceNumber} for ${p.amountDue}`;

/** A new open invoice to pay from the hosted page (send_invoice customers). */
export function InvoiceIssuedEmail(p: InvoiceIssuedEmailProps) {
  return (
    <EmailLayout preview={`Invoice ${p.invoiceNumber} for ${p.amountDue}${p.dueOn ? `, due ${p.dueOn}` : ""}`}>
      <Text style={styles.heading}>New invoice {p.invoiceNumber}</Text>
      <Text style={styles.text}>
        {greet(p.customerName, `Here is invoice ${p.invoiceNumber} for ${p.amountDue}`)}
        {p.dueOn ? `, due on ${p.dueOn}.` : ", due on receipt."}
      </Text>
      <AmountTable rows={[...p.lines.map((l) => ({ label: l.description, amount: l.amount })), ...(p.tax ? [{ label: p.tax.label, amount: p.tax.amount }] : [])]} total={{ label: "Amount due", amount: p.amountDue }} />
      <CallToAction href={p.invoiceUrl} label="Pay invoice" />
    </EmailLayout>
  );
}
