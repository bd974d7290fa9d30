import { Button, Column, Link, Row, Section, Text } from "@react-email/components";
import { styles } from "./layout";

/** "Hi Ada, w" / "W": the greeting every message opens with. */
export function greet(name: string | null, rest: string): string {
  return name ? `Hi ${name}, ${rest.charAt(0).toLowerCase()}${rest.slice(1)}` : rest;
}

/** The one button a message asks the reader to press, with the link spelled out for plain text. */
export function CallToAction({ href, label }: { href: string; label: string }) {
  return (
    <>
      <Button href={href} style={styles.button}>
        {label}
      </Button>
      <Text style={styles.muted}>
        Or paste this link into your browser: <Link href={href}>{href}</Link>
      </Text>
    </>
  );
}

/** A boxed two-column table: description on the left, amount on the right; the last row bold when `total`. */
export function AmountTable({ rows, total }: { rows: { label: string; amount: string }[]; total?: { label: string; amount: string } }) {
  return (
    <Section style={{ border: "1px solid #eef0f3", borderRadius: 6, padding: "4px 12px", margin: "12px 0" }}>
      {rows.map((row, i) => (
        <Row key={i}>
          <Column style={styles.text}>{row.label}</Column>
          <Column style={{ ...styles.text, textAlign: "right" }}>{row.amount}</Column>
        </Row>
      ))}
      {total ? (
        <Row>
          <Column style={{ ...styles.text, fontWeight: 600 }}>{total.label}</Column>
          <Column style={{ ...styles.text, fontWeight: 600, textAlign: "right" }}>{total.amount}</Column>
        </Row>
      ) : null}
    </Section>
  );
}
