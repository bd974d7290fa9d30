import { Card, CardBody, CardHeader, EmptyState, Stat, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { rateAsPercent } from "@/lib/analytics/percent";
import type { AnalyticsOverview } from "@/lib/services/analytics/overview";
import { ChartPanel } from "./ChartPanel";
import { CountBarChart } from "./charts";
import type { Formatter } from "@/lib/format";

/** Amounts per currency, each in its own currency: "A$10.00 + US$5.00", or "—". */
const perCurrency = (fmt: Formatter, amounts: { currency: string; amount: number }[]) => amounts.filter((a) => a.amount !== 0).map((a) => fmt.money(a.amount, a.currency)).join(" + ") || "—";

function CountsTable({ caption, rows, fmt }: { caption: string; rows: { label: string; count: number; amount?: string }[]; fmt: Formatter }) {
  const amounts = rows.some((r) => r.amount !== undefined);
  return (
    <Table caption={caption} bare>
      <THead>
        <TR>
          <TH>Outcome</TH>
          <TH numeric>Count</TH>
          {amounts ? <TH numeric>Amount</TH> : null}
        </TR>
      </THead>
      <TBody>
        {rows.map((r) => (
          <TR key={r.label}>
            <TD>{r.label}</TD>
            <TD numeric>{fmt.count(r.count)}</TD>
            {amounts ? <TD numeric>{r.amount ?? ""}</TD> : null}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

/**
 * Dunning and retention-offer outcomes of the page's range (decision 035): headline figures as
 * stats, the outcomes as bars with their table and CSV. Amounts stay in their own currencies.
 */
export function OutcomeCards({ overview, csv, fmt }: { overview: AnalyticsOverview; csv: (chart: string) => string; fmt: Formatter }) {
  const { dunning: d, retention: r, from, to } = overview.outcomes;
  const due = (field: "recovered" | "lost" | "in_dunning" | "amount_due") => perCurrency(fmt, d.amounts.map((a) => ({ currency: a.currency, amount: a[field] })));
  const dunningBars = [
    { label: "Recovered", short: "Recovered", count: d.recovered, colour: "#0d9488", amount: due("recovered") },
    { label: "Still in dunning", short: "In dunning", count: d.in_dunning, colour: "#d97706", amount: due("in_dunning") },
    { label: "Lost", short: "Lost", count: d.lost, colour: "#dc2626", amount: due("lost") },
  ];
  const retentionBars = [
    { label: "Took the discount", short: "Discount", count: r.accepted_discount, colour: "#4f46e5" },
    { label: "Paused", short: "Paused", count: r.paused, colour: "#0d9488" },
    { label: "Cheaper plan", short: "Cheaper", count: r.switched_plan, colour: "#65a30d" },
    { label: "Contacted support", short: "Support", count: r.contacted_support, colour: "#0891b2" },
    { label: "Canceled", short: "Canceled", count: r.canceled, colour: "#dc2626" },
    { label: "Abandoned", short: "Left", count: r.abandoned, colour: "#94a3b8" },
    { label: "In progress", short: "Open", count: r.in_progress, colour: "#cbd5e1" },
  ];
  return (
    <>
      <Card>
        <CardHeader
          title="Dunning outcomes"
          description={`Automatically collected invoices whose first failed payment was between ${from} and ${to}, as they stood at the end of ${to} (UTC): recovered (paid), lost (voided, marked uncollectible, or the subscription canceled or unpaid) or still in dunning. Amounts in each invoice's currency.`}
        />
        <CardBody className="space-y-4">
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4 [&>*]:min-w-0" data-testid="dunning-stats">
            <Stat label="Entered dunning" value={fmt.count(d.entered)} hint={`Amount due ${due("amount_due")}`} />
            <Stat label="Recovered" value={fmt.count(d.recovered)} hint={[`Recovery ${rateAsPercent(d.recovery_rate)}`, d.recovered ? due("recovered") : null].filter(Boolean).join(" · ")} />
            <Stat label="Still in dunning" value={fmt.count(d.in_dunning)} hint={due("in_dunning")} />
            <Stat label="Lost" value={fmt.count(d.lost)} hint={due("lost")} />
          </div>
          {d.entered ? (
            <ChartPanel name="Dunning" csvHref={csv("dunning")} chart={<CountBarChart reader={fmt.reader} bars={dunningBars} testId="dunning-chart" xLabel="Outcome" />} table={<CountsTable fmt={fmt} caption="Dunning outcomes" rows={dunningBars} />} />
          ) : (
            <EmptyState title="No failed payments in this range" description="An invoice enters dunning when its first automatic payment fails." />
          )}
        </CardBody>
      </Card>

      <Card>
        <CardHeader
          title="Retention offers"
          description={`Passes through the portal's cancel flow started between ${from} and ${to} (UTC) and what the subscriber decided. MRR saved: the MRR, the day before they decided, of those who took a discount, a pause or a cheaper plan.`}
        />
        <CardBody className="space-y-4">
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4 [&>*]:min-w-0" data-testid="retention-stats">
            <Stat label="Cancel attempts" value={fmt.count(r.attempts)} hint={`${fmt.count(r.offers_shown)} shown an offer`} />
            <Stat label="Accepted an offer" value={fmt.count(r.accepted)} hint={`Acceptance ${rateAsPercent(r.acceptance_rate)}`} />
            <Stat label="Canceled anyway" value={fmt.count(r.canceled_after_offer)} hint={`${fmt.count(r.canceled)} canceled in all`} />
            <Stat label="MRR saved" value={perCurrency(fmt, r.mrr_saved)} hint="Per currency, not converted" />
          </div>
          {r.attempts ? (
            <ChartPanel name="Retention" csvHref={csv("retention")} chart={<CountBarChart reader={fmt.reader} bars={retentionBars} testId="retention-chart" xLabel="Decision" />} table={<CountsTable fmt={fmt} caption="Retention offer outcomes" rows={retentionBars} />} />
          ) : (
            <EmptyState title="Nobody tried to cancel in this range" description="Each pass through the portal's cancel flow is recorded with the offer shown and the decision." />
          )}
        </CardBody>
      </Card>
    </>
  );
}
