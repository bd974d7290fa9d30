import Link from "next/link";
import { Alert, Badge, Card, CardBody, CardHeader, type BadgeTone } from "@/components/ui";
import type { Hint } from "@/lib/api-costs/hints";
import type { Panel } from "@/lib/services/api-costs/console";
import type { CostHints } from "@/lib/services/api-costs/hints";

const tones: Record<Hint["severity"], { tone: BadgeTone; label: string }> = {
  critical: { tone: "danger", label: "Act now" },
  warning: { tone: "warning", label: "Look at" },
  info: { tone: "info", label: "Idea" },
};

/** The optimisation hints as of now (lib/api-costs/hints.ts): plain rules, each with what it saw. */
export function HintsCard({ hints }: { hints: Panel<CostHints> | null }) {
  return (
    <Card data-testid="cost-hints">
      <CardHeader
        title="Optimisation hints"
        description="Quotas near their limit, a region served by a dearer provider than another configured for it, customers whose API cost exceeds their revenue (last 30 days) and gateway fees by card brand and country."
      />
      {hints === null ? (
        <CardBody>
          <p className="text-sm text-slate-600">Hints are about now: see the current month.</p>
        </CardBody>
      ) : hints.problem !== null ? (
        <CardBody>
          <Alert tone="warning">Hints need an exchange rate: {hints.problem}</Alert>
        </CardBody>
      ) : hints.value.hints.length === 0 ? (
        <CardBody>
          <p className="text-sm text-slate-600">No hints this month.</p>
        </CardBody>
      ) : (
        <ul className="divide-y divide-slate-100">
          {hints.value.hints.map((h, i) => (
            <li key={`${h.kind}-${i}`} className="flex flex-wrap items-start gap-x-3 gap-y-1 px-5 py-3" data-testid="hint">
              <Badge tone={tones[h.severity].tone}>{tones[h.severity].label}</Badge>
              <span className="min-w-0 flex-1 text-sm break-words text-slate-900">
                {h.message}
                {h.kind === "cost_exceeds_revenue" ? (
                  <>
                    {" "}
                    <Link href={`/admin/customers/${h.customerId}`} className="font-medium text-brand-700 hover:underline">
                      View customer
                    </Link>
                  </>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
