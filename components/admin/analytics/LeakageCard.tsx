import { ButtonLink, Card, CardBody, CardHeader } from "@/components/ui";
import type { LeakageRunRow } from "@/db/queries/leakage-runs";
import type { Formatter } from "@/lib/format";

/**
 * The latest revenue-leakage run beside the charts (decision 034): how many items the checks found
 * and what is at risk per currency, linking to the list. Before the first run it says when one runs.
 */
export function LeakageCard({ run, timeZone, fmt }: { run: LeakageRunRow | null; timeZone: string; fmt: Formatter }) {
  const found = run ? run.totals.reduce((n, t) => n + t.count, 0) : 0;
  const atRisk = new Map<string, number>();
  for (const t of run?.totals ?? []) for (const a of t.amounts) atRisk.set(a.currency, (atRisk.get(a.currency) ?? 0) + a.amount);
  const amounts = [...atRisk].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => fmt.money(amount, currency));
  return (
    <Card aria-label="Revenue leakage">
      <CardHeader
        title="Revenue leakage"
        description={run ? `Checked ${fmt.dateTime(run.ranAt, timeZone, { zoneName: true })}.` : "The checks run daily; none has run yet."}
        actions={
          <ButtonLink href="/admin/leakage" variant="secondary" size="sm">
            Open the checks
          </ButtonLink>
        }
      />
      <CardBody>
        <p className="text-sm text-slate-700">
          {run === null ? "Nothing checked yet." : found === 0 ? "Nothing found: every check came back clean." : `${found} item${found === 1 ? "" : "s"} found, ${amounts.join(" + ") || "no amount"} at risk.`}
        </p>
      </CardBody>
    </Card>
  );
}
