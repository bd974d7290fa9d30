import { Button, Link, Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";

export interface MagicLinkEmailProps {
  url: string;
  host: string;
}

export const magicLinkSubject = "Your sign-in link for Tally";

export function MagicLinkEmail({ url, host }: MagicLinkEmailProps) {
  return (
    <EmailLayout preview="Sign in to your billing account">
      <Text style={styles.heading}>Sign in to Tally</Text>
      <Text style={styles.text}>Click the button below to sign in to {host}. The link works once and expires in 24 hours.</Text>
      <Button href={url} style={styles.button}>
        Sign in
      </Button>
      <Text style={styles.muted}>
        Or paste this link into your browser: <Link href={url}>{url}</Link>
      </Text>
      <Text style={styles.muted}>If you did not ask to sign in, you can ignore this email.</Text>
    </EmailLayout>
  );
}
