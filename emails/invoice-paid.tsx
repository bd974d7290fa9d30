import { Button, Column, Row, Section, Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";

export interface InvoicePaidEmailProps {
  customerName: string | null;
  invoiceNumber: string;
  amountPaid: string;
  paidOn: string;
  lines: { description: string; amount: string }[];
  tax: { label: string; amount: string } | null;
  invoiceUrl: string;
}

export const invoicePaidSubject = (p: Pick<InvoicePaidEmailProps, "invoiceNumber">) => `Receipt for invoice ${p.invoiceNumber}`;

/** The receipt sent when an invoice is paid. */
export function InvoicePaidEmail(p: InvoicePaidEmailProps) {
  return (
    <EmailLayout preview={`We received your payment of ${p.amountPaid}`}>
      <Text style={styles.heading}>Payment received</Text>
      <Text style={styles.text}>
        {p.customerName ? `Hi ${p.customerName}, thank` : "Thank"} you: we received {p.amountPaid} on {p.paidOn} for invoice {p.invoiceNumber}.
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
