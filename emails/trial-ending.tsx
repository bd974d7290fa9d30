import { Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";
import { CallToAction, greet } from "./parts";

export interface TrialEndingEmailProps {
  customerName: string | null;
  planName: string;
  /** The day the trial ends, in the customer's calendar. */
  trialEndsOn: string;
  /** What is charged when the trial ends: "A$29.00 / month (incl. GST)". */
  amount: string;
  /** Whether a card is on file to charge; without one we ask for one. */
  hasCard: boolean;
  portalUrl: string;
  addCardUrl: string;
}

export const trialEndingSubject = (p: Pick<TrialEndingEmailProps, "planName" | "trialEndsOn">) => `Your ${p.planName} trial ends on ${p.trialEndsOn}`;

/** A few days before a trial ends: the date, what follows, and a card if none is on file. */
export function TrialEndingEmail(p: TrialEndingEmailProps) {
  return (
    <EmailLayout preview={`Your trial ends on ${p.trialEndsOn}`}>
      <Text style={styles.heading}>Your trial ends soon</Text>
      <Text style={styles.text}>
        {greet(p.customerName, `Your ${p.planName} trial ends on ${p.trialEndsOn}. Then your subscription continues at ${p.amount}.`)}
      </Text>
      <Text style={styles.text}>
        {p.hasCard ? "We'll charge the card on file; there is nothing you need to do." : "You don't have a card on file yet: add one to keep your subscription going."}
      </Text>
      {p.hasCard ? <CallToAction href={p.portalUrl} label="Manage your subscription" /> : <CallToAction href={p.addCardUrl} label="Add a card" />}
    </EmailLayout>
  );
}
