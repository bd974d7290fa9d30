import { Body, Container, Head, Hr, Html, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";

export const brand = { name: "Tally", color: "#4f46e5" };

/** The frame every Tally email shares: business name, content, footer. */
export function EmailLayout({ preview, children }: { preview: string; children: ReactNode }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={{ backgroundColor: "#f6f7f9", fontFamily: "-apple-system, Segoe UI, Helvetica, Arial, sans-serif", margin: 0 }}>
        <Container style={{ maxWidth: 520, margin: "32px auto", backgroundColor: "#ffffff", borderRadius: 8, border: "1px solid #e5e7eb" }}>
          <Section style={{ padding: "20px 28px", borderBottom: "1px solid #eef0f3" }}>
            <Text style={{ margin: 0, fontSize: 16, fontWeight: 600, color: brand.color }}>{brand.name}</Text>
          </Section>
          <Section style={{ padding: "8px 28px 24px" }}>{children}</Section>
          <Hr style={{ borderColor: "#eef0f3", margin: 0 }} />
          <Section style={{ padding: "16px 28px" }}>
            <Text style={{ margin: 0, fontSize: 12, color: "#6b7280" }}>
              You are receiving this email because of your account with {brand.name}.
            </Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

export const styles = {
  heading: { fontSize: 20, fontWeight: 600, color: "#111827", margin: "16px 0 8px" },
  text: { fontSize: 14, lineHeight: "22px", color: "#374151" },
  button: {
    backgroundColor: brand.color,
    color: "#ffffff",
    padding: "10px 18px",
    borderRadius: 6,
    fontSize: 14,
    fontWeight: 600,
    textDecoration: "none",
    display: "inline-block",
  },
  muted: { fontSize: 12, color: "#6b7280" },
} as const;
