import { Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";
import { CallToAction, greet } from "./parts";

export interface UsageThresholdEmailProps {
  customerName: string | null;
  /** The feature's code as the plan names it ("api-calls"). */
  feature: string;
  threshold: 80 | 100;
  /** Usage so far and the limit, formatted ("8,000", "10,000"). */
  used: string;
  limit: string;
  /** A hard limit stops the feature once reached; a soft one keeps serving. */
  hard: boolean;
  /** The day the period ends and the usage starts again from zero, in the customer's calendar. */
  resetsOn: string;
  portalUrl: string;
}

export const usageThresholdSubject = (p: Pick<UsageThresholdEmailProps, "feature" | "threshold">) =>
  p.threshold >= 100 ? `You've reached your ${p.feature} limit` : `You've used ${p.threshold}% of your ${p.feature} limit`;

/** A metered feature's usage reached 80% or 100% of the plan's limit this period. */
export function UsageThresholdEmail(p: UsageThresholdEmailProps) {
  const reached = p.threshold >= 100;
  return (
    <EmailLayout preview={reached ? `${p.feature}: limit reached` : `${p.feature}: ${p.threshold}% of your limit used`}>
      <Text style={styles.heading}>{reached ? "Usage limit reached" : `${p.threshold}% of your usage limit`}</Text>
      <Text style={styles.text}>{greet(p.customerName, `You've used ${p.used} of the ${p.limit} ${p.feature} included in your plan this billing period.`)}</Text>
      <Text style={styles.text}>
        {reached
          ? p.hard
            ? `${p.feature} is paused until your usage resets on ${p.resetsOn}. To keep going now, upgrade your plan.`
            : `You can keep going: usage past the limit is allowed on your plan. It resets on ${p.resetsOn}.`
          : `Your usage resets on ${p.resetsOn}.${p.hard ? ` Once you reach the limit, ${p.feature} pauses until then.` : ""}`}
      </Text>
      <CallToAction href={p.portalUrl} label="Review your plan" />
    </EmailLayout>
  );
}

export interface UsageSpendEmailProps {
  customerName: string | null;
  threshold: 80 | 100;
  /** The period's usage charges so far and the spend threshold, formatted in the subscription's currency ("$40.00", "$50.00"). */
  amount: string;
  spendThreshold: string;
  /** The day the period ends and the usage is invoiced, in the customer's calendar. */
  billedOn: string;
  portalUrl: string;
}

export const usageSpendSubject = (p: Pick<UsageSpendEmailProps, "threshold" | "spendThreshold">) =>
  p.threshold >= 100 ? `Your usage charges have reached ${p.spendThreshold}` : `Your usage charges are at ${p.threshold}% of ${p.spendThreshold}`;

/** A subscription's usage charges so far this period reached 80% or 100% of its spend threshold. */
export function UsageSpendEmail(p: UsageSpendEmailProps) {
  const reached = p.threshold >= 100;
  return (
    <EmailLayout preview={reached ? `Usage charges: ${p.spendThreshold} reached` : `Usage charges: ${p.threshold}% of ${p.spendThreshold}`}>
      <Text style={styles.heading}>{reached ? "Usage spend threshold reached" : `${p.threshold}% of your usage spend threshold`}</Text>
      <Text style={styles.text}>{greet(p.customerName, `Your usage this billing period comes to ${p.amount} so far, against the ${p.spendThreshold} threshold set on your subscription.`)}</Text>
      <Text style={styles.text}>
        {`Usage keeps being recorded and is billed on your next invoice, on ${p.billedOn}. This is a notice, not a limit: nothing stops.`}
      </Text>
      <CallToAction href={p.portalUrl} label="Review your usage" />
    </EmailLayout>
  );
}
