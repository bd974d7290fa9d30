import { Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";
import { CallToAction, greet } from "./parts";

export interface SubscriptionPausedEmailProps {
  customerName: string | null;
  planName: string;
  /** The day it paused, in the customer's calendar. */
  pausedOn: string;
  /** The day it resumes by itself, when set. */
  resumesOn: string | null;
  portalUrl: string;
}

export const subscriptionPausedSubject = (p: Pick<SubscriptionPausedEmailProps, "planName">) => `Your ${p.planName} subscription is paused`;

/** The subscription was paused: no charges until it resumes. */
export function SubscriptionPausedEmail(p: SubscriptionPausedEmailProps) {
  return (
    <EmailLayout preview={p.resumesOn ? `Paused until ${p.resumesOn}` : "Your subscription is paused"}>
      <Text style={styles.heading}>Subscription paused</Text>
      <Text style={styles.text}>
        {greet(p.customerName, `Your ${p.planName} subscription was paused on ${p.pausedOn}. You won't be charged while it is paused.`)}
      </Text>
      <Text style={styles.text}>{p.resumesOn ? `It resumes automatically on ${p.resumesOn}.` : "It stays paused until you resume it."}</Text>
      <CallToAction href={p.portalUrl} label="Manage your subscription" />
    </EmailLayout>
  );
}
