import { Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";
import { CallToAction, greet } from "./parts";

export interface SubscriptionResumedEmailProps {
  customerName: string | null;
  planName: string;
  /** "A$29.00 / month (incl. GST)" */
  price: string;
  /** The next billing date, in the customer's calendar. */
  nextBillingOn: string;
  portalUrl: string;
}

export const subscriptionResumedSubject = (p: Pick<SubscriptionResumedEmailProps, "planName">) => `Your ${p.planName} subscription has resumed`;

/** A paused subscription is running again. */
export function SubscriptionResumedEmail(p: SubscriptionResumedEmailProps) {
  return (
    <EmailLayout preview={`Your subscription has resumed; next billing ${p.nextBillingOn}`}>
      <Text style={styles.heading}>Welcome back</Text>
      <Text style={styles.text}>{greet(p.customerName, `Your ${p.planName} subscription has resumed at ${p.price}.`)}</Text>
      <Text style={styles.text}>Your next billing date is {p.nextBillingOn}.</Text>
      <CallToAction href={p.portalUrl} label="Manage your subscription" />
    </EmailLayout>
  );
}
