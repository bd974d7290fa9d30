import { Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";
import { AmountTable, CallToAction, greet } from "./parts";

export interface SubscriptionStartedEmailProps {
  customerName: string | null;
  /** "Pro" or "Pro, Extra seats". */
  planName: string;
  /** "A$29.00 / month" */
  price: string;
  /** "incl. GST" / "+ GST" */
  taxNote: string;
  /** The day the trial ends, in the customer's calendar; null when not trialing. */
  trialEndsOn: string | null;
  /** The next billing date, in the customer's calendar. */
  nextBillingOn: string;
  portalUrl: string;
}

export const subscriptionStartedSubject = (p: Pick<SubscriptionStartedEmailProps, "planName" | "trialEndsOn">) =>
  p.trialEndsOn ? `Your ${p.planName} trial has started` : `Welcome to ${p.planName}`;

/** Welcome: the subscription is active or trialing. */
export function SubscriptionStartedEmail(p: SubscriptionStartedEmailProps) {
  return (
    <EmailLayout preview={p.trialEndsOn ? `Your trial runs until ${p.trialEndsOn}` : `You're subscribed to ${p.planName}`}>
      <Text style={styles.heading}>Welcome to {p.planName}</Text>
      <Text style={styles.text}>{greet(p.customerName, `Thanks for subscribing to ${p.planName}.`)}</Text>
      <AmountTable rows={[{ label: p.planName, amount: `${p.price} (${p.taxNote})` }]} />
      <Text style={styles.text}>
        {p.trialEndsOn
          ? `Your free trial ends on ${p.trialEndsOn}; after that you'll be billed ${p.price} (${p.taxNote}).`
          : `Your next billing date is ${p.nextBillingOn}.`}
      </Text>
      <CallToAction href={p.portalUrl} label="Manage your subscription" />
    </EmailLayout>
  );
}
