import { Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";
import { CallToAction } from "./parts";

export interface BudgetAlertEmailProps {
  /** "OpenAI (openai)" or "All providers". */
  scope: string;
  threshold: number;
  /** This month's spend and the budget, formatted in the budget's currency ("$400.00", "$500.00"). */
  spent: string;
  amount: string;
  /** "December 2026" (UTC). */
  month: string;
  budgetsUrl: string;
}

export const budgetAlertSubject = (p: Pick<BudgetAlertEmailProps, "scope" | "threshold">) =>
  p.threshold >= 100 ? `API cost budget ${p.threshold === 100 ? "reached" : `at ${p.threshold}%`}: ${p.scope}` : `API costs at ${p.threshold}% of budget: ${p.scope}`;

/** To the billing admins: a monthly API cost budget reached one of its alert thresholds. */
export function BudgetAlertEmail(p: BudgetAlertEmailProps) {
  const over = p.threshold >= 100;
  return (
    <EmailLayout preview={`${p.scope}: ${p.threshold}% of the ${p.month} budget`}>
      <Text style={styles.heading}>{over ? `API cost budget ${p.threshold === 100 ? "reached" : `at ${p.threshold}%`}` : `API costs at ${p.threshold}% of budget`}</Text>
      <Text style={styles.text}>
        {p.scope} spent {p.spent} on third-party APIs in {p.month} so far, against a monthly budget of {p.amount}.
      </Text>
      <Text style={styles.text}>{over ? "Costs keep being recorded: Tally does not stop any API calls. Review the providers' usage, or raise the budget if this is expected." : "Each alert is sent once a month."}</Text>
      <CallToAction href={p.budgetsUrl} label="Review the budgets" />
    </EmailLayout>
  );
}

export interface QuotaWarningEmailProps {
  /** "Geoscape (geoscape)" */
  provider: string;
  threshold: 80 | 100;
  /** Units used in the window and the quota, formatted ("80,000", "100,000"). */
  used: string;
  limit: string;
  /** "today (5 Dec 2026, UTC)" or "this month (December 2026)". */
  window: string;
  budgetsUrl: string;
}

export const quotaWarningSubject = (p: Pick<QuotaWarningEmailProps, "provider" | "threshold">) =>
  p.threshold >= 100 ? `API quota reached: ${p.provider}` : `API quota at ${p.threshold}%: ${p.provider}`;

/** To the billing admins: a provider's units reached 80% or 100% of its quota in the window. */
export function QuotaWarningEmail(p: QuotaWarningEmailProps) {
  return (
    <EmailLayout preview={`${p.provider}: ${p.threshold}% of the quota used`}>
      <Text style={styles.heading}>{p.threshold >= 100 ? "API quota reached" : `API quota at ${p.threshold}%`}</Text>
      <Text style={styles.text}>
        {p.provider} has used {p.used} of its {p.limit} units {p.window}.
      </Text>
      <Text style={styles.text}>{p.threshold >= 100 ? "The provider may refuse or throttle further calls until the quota resets." : "Each warning is sent once per quota window."}</Text>
      <CallToAction href={p.budgetsUrl} label="Review API costs" />
    </EmailLayout>
  );
}
