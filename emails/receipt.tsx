import { Button, Column, Row, Section, Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";

export interface ReceiptEmailProps {
  customerName: string | null;
  receiptNumber: string;
  invoiceNumber: string;
  amountPaid: string;
  paidOn: string;
  method: string;
  lines: { description: string; amount: string }[];
  tax: { label: string; amount: string } | null;
  invoiceUrl: string;
}

export const receiptSubject = (p: Pick<ReceiptEmailProps, "receiptNumber" | "invoiceNumber">) => `Receipt ${p.receiptNumber} for invoice ${p.invoiceNumber}`;

/** The receipt of a payment (decision 043), sent with the receipt's PDF attached. */
export function ReceiptEmail(p: ReceiptEmailProps) {
  return (
    <EmailLayout preview={`We received your payment of ${p.amountPaid}`}>
      <Text style={styles.heading}>Payment received</Text>
      <Text style={styles.text}>
        {p.customerName ? `Hi ${p.customerName}, thank` : "Thank"} you: we received {p.amountPaid} on {p.paidOn} for invoice {p.invoiceNumber}, paid by {p.method}. Your receipt {p.receiptNumber} is attached as a PDF.
      </Text>
      <Section style={{ border: "1px solid #eef0f3", borderRadius: 6, padding: "4px 12px", margin: "12px 0" }}>
        {p.lines.map((line, i) => (
          <Row key={i}>
            <Column style={styles.text}>{line.description}</Column>
            <Column style={{ ...styles.text, textAlign: "right" }}>{line.amount}</Column>
          </Row>
        ))}
        {p.tax ? (
          <Row>
            <Column style={styles.muted}>{p.tax.label}</Column>
            <Column style={{ ...styles.muted, textAlign: "right" }}>{p.tax.amount}</Column>
          </Row>
        ) : null}
        <Row>
          <Column style={{ ...styles.text, fontWeight: 600 }}>Paid</Column>
          <Column style={{ ...styles.text, fontWeight: 600, textAlign: "right" }}>{p.amountPaid}</Column>
        </Row>
      </Section>
      <Button href={p.invoiceUrl} style={styles.button}>
        View invoice
      </Button>
    </EmailLayout>
  );
}
