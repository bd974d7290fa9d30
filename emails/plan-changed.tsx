import { Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";
import { CallToAction, greet } from "./parts";

export interface PlanChangedEmailProps {
  customerName: string | null;
  fromPlan: string;
  toPlan: string;
  /** The day the change takes effect, in the customer's calendar. */
  effectiveOn: string;
  /** Whether the change already applies (false: scheduled for the period end). */
  appliedNow: boolean;
  /** What was charged now ("A$19.00"), when anything was. */
  chargedNow: string | null;
  /** What was credited to the balance now, when anything was. */
  creditedNow: string | null;
  /** The next invoice date, in the customer's calendar. */
  nextInvoiceOn: string;
  portalUrl: string;
}

export const planChangedSubject = (p: Pick<PlanChangedEmailProps, "toPlan" | "appliedNow">) =>
  p.appliedNow ? `Your plan is now ${p.toPlan}` : `Your plan changes to ${p.toPlan}`;

/** The subscription's items changed (or a change was scheduled): old → new, what it cost now, what comes next. */
export function PlanChangedEmail(p: PlanChangedEmailProps) {
  const change = `${p.fromPlan} → ${p.toPlan}`;
  return (
    <EmailLayout preview={change}>
      <Text style={styles.heading}>Your plan {p.appliedNow ? "has changed" : "will change"}</Text>
      <Text style={styles.text}>
        {greet(p.customerName, p.appliedNow ? `Your subscription changed on ${p.effectiveOn}: ${change}.` : `Your subscription will change on ${p.effectiveOn}: ${change}.`)}
      </Text>
      {p.chargedNow ? <Text style={styles.text}>We charged {p.chargedNow} for the change now.</Text> : null}
      {p.creditedNow ? <Text style={styles.text}>We credited {p.creditedNow} to your account balance for the unused time.</Text> : null}
      <Text style={styles.text}>Your next invoice is on {p.nextInvoiceOn}.</Text>
      <CallToAction href={p.portalUrl} label="View your subscription" />
    </EmailLayout>
  );
}
