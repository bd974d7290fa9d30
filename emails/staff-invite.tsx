import { Button, Link, Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";

export interface StaffInviteEmailProps {
  signInUrl: string;
  role: string;
  invitedBy: string;
}

export const staffInviteSubject = "You're invited to the Tally billing console";

export function StaffInviteEmail({ signInUrl, role, invitedBy }: StaffInviteEmailProps) {
  return (
    <EmailLayout preview={`${invitedBy} invited you as ${role}`}>
      <Text style={styles.heading}>You&apos;re invited to the billing console</Text>
      <Text style={styles.text}>
        {invitedBy} added you to Tally as {role}. Open the sign-in page, enter this email address and choose &quot;Email me a link&quot;: we&apos;ll send you a one-time sign-in link.
      </Text>
      <Button href={signInUrl} style={styles.button}>
        Open the sign-in page
      </Button>
      <Text style={styles.muted}>
        Or paste this link into your browser: <Link href={signInUrl}>{signInUrl}</Link>
      </Text>
      <Text style={styles.muted}>If you were not expecting this, you can ignore this email.</Text>
    </EmailLayout>
  );
}
