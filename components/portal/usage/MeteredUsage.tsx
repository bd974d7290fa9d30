import type { CustomerMeteredItem } from "@/lib/services/usage/portal-usage";
import { Card, CardBody, CardHeader } from "@/components/ui";
import { UsageChart } from "./UsageChart";
import type { Formatter } from "@/lib/format";

/** A meter's value for people: grouped, with its decimals when it has any ("1,523", "12.5"). */
export function usageValue(value: string | number, fmt: Formatter): string {
  return fmt.count(Number(value), 4);
}


/** One metered item on the Usage page: what was used, what it costs so far, how the tiers split it, per day. */
export function MeteredUsageCard({ item, timeZone, fmt }: { item: CustomerMeteredItem; timeZone: string; fmt: Formatter }) {
  const unit = item.meterName;
  const measuredDays = item.days.filter((d) => d.value !== null);
  const peak = measuredDays.reduce<(typeof measuredDays)[number] | null>((best, d) => (best === null || (d.value ?? 0) > (best.value ?? 0) ? d : best), null);
  const summary = `${unit} per day this period: ${usageValue(item.value, fmt)} in total${peak && (peak.value ?? 0) > 0 ? `, most on ${fmt.dayMonth(peak.start)} (${usageValue(peak.value ?? 0, fmt)})` : ""}.`;
  return (
    <Card data-testid="metered-usage">
      <CardHeader title={unit} description={`${item.planName === unit ? "" : `${item.planName} · `}This period: ${fmt.period(item.periodStart, item.periodEnd, timeZone)}`} />
      <CardBody className="space-y-5">
        <dl className="grid grid-cols-1 gap-4 sm:grid-cols-3">
          <Figure label="Used so far" value={usageValue(item.value, fmt)} hint={`Up to ${fmt.date(item.to, timeZone)}`} />
          <Figure label="Billed units" value={usageValue(item.quantity, fmt)} hint={Number(item.value) === item.quantity ? "Whole units, as measured" : "Measured usage rounded up"} />
          <Figure label="Cost so far" value={fmt.money(item.amount, item.currency)} hint={`Billed on ${fmt.date(item.periodEnd, timeZone)}`} testId="usage-cost" />
        </dl>
        {item.tiers ? (
          <p className="text-sm text-slate-600">
            <span className="font-medium text-slate-700">How it's priced: </span>
            <span data-testid="usage-tiers">{item.tiers}</span>
          </p>
        ) : null}
        <div>
          <h3 className="mb-2 text-[13px] font-medium text-slate-600">Daily usage (UTC days)</h3>
          <UsageChart reader={fmt.reader} days={item.days.map((d) => ({ label: fmt.dayMonth(d.start), value: d.value }))} unit={unit} summary={summary} />
        </div>
      </CardBody>
    </Card>
  );
}

function Figure({ label, value, hint, testId }: { label: string; value: string; hint: string; testId?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 px-4 py-3">
      <dt className="text-[13px] font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 text-xl font-semibold tracking-tight text-slate-900 tabular-nums" data-testid={testId}>
        {value}
      </dd>
      <dd className="mt-0.5 text-[13px] text-slate-600">{hint}</dd>
    </div>
  );
}
