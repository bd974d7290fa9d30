import { Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";
import { CallToAction, greet } from "./parts";

export interface CancellationConfirmedEmailProps {
  customerName: string | null;
  planName: string;
  /** The day the subscription ends (or ended), in the customer's calendar. */
  endsOn: string;
  /** true: it ended now; false: it runs until endsOn. */
  endedNow: boolean;
  /** Unused time credited ("A$5.00"), when any. */
  credited: string | null;
  portalUrl: string;
}

export const cancellationConfirmedSubject = (p: Pick<CancellationConfirmedEmailProps, "planName" | "endedNow">) =>
  p.endedNow ? `Your ${p.planName} subscription has been canceled` : `Your ${p.planName} subscription will be canceled`;

/** A cancellation, now or at the period end. */
export function CancellationConfirmedEmail(p: CancellationConfirmedEmailProps) {
  return (
    <EmailLayout preview={p.endedNow ? `Your subscription ended on ${p.endsOn}` : `Your subscription ends on ${p.endsOn}`}>
      <Text style={styles.heading}>Cancellation confirmed</Text>
      <Text style={styles.text}>
        {greet(
          p.customerName,
          p.endedNow
            ? `Your ${p.planName} subscription was canceled and ended on ${p.endsOn}.`
            : `Your ${p.planName} subscription is canceled and ends on ${p.endsOn}. You keep access until then, and you won't be charged again.`,
        )}
      </Text>
      {p.credited ? <Text style={styles.text}>We credited {p.credited} for the unused time.</Text> : null}
      <CallToAction href={p.portalUrl} label={p.endedNow ? "View your account" : "Changed your mind? Keep your subscription"} />
    </EmailLayout>
  );
}
