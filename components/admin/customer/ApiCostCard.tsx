import Link from "next/link";
import { monthLabel } from "@/components/admin/api-costs/MonthPicker";
import { Card, CardHeader } from "@/components/ui";
import { monthOf, previousMonth, type CostMonth } from "@/lib/api-costs/months";
import type { ServiceContext } from "@/lib/services/context";
import { reportProblem } from "@/lib/services/api-costs/cost-report";
import { customerProfitability, type Profitability } from "@/lib/services/api-costs/profitability";
import type { Formatter } from "@/lib/format";

/**
 * A customer's profitability this UTC month and last (customerProfitability): revenue net of tax,
 * refunds and credit notes, the API costs attributed to them, the gateway fees on their payments,
 * and the margin, each in the reporting currency at each day's exchange rate.
 */
export async function ApiCostCard({ ctx, customer, fmt }: { ctx: ServiceContext; customer: { id: string; livemode: boolean }; fmt: Formatter }) {
  const thisMonth = monthOf(ctx.now);
  const months = [thisMonth, previousMonth(thisMonth)];
  let rows: { month: CostMonth; figures: Profitability }[] = [];
  let problem: string | null = null;
  try {
    rows = await Promise.all(months.map(async (month) => ({ month, figures: await customerProfitability(ctx, customer.id, { from: month.from, to: month.to, livemode: customer.livemode }) })));
  } catch (error) {
    problem = reportProblem(error);
  }
  return (
    <Card data-testid="customer-api-cost">
      <CardHeader
        title="API cost and margin"
        description={
          problem ??
          "Revenue net of tax, refunds and credit notes (invoices finalized in the UTC month), less the third-party API costs attributed to this customer and the gateway fees on their payments."
        }
        actions={
          <Link href="/admin/api-costs" className="text-sm font-medium text-brand-700 hover:underline">
            API costs
          </Link>
        }
      />
      {rows.length > 0 ? (
        <ul className="divide-y divide-slate-100">
          {rows.map(({ month, figures }, i) => {
            const money = (minor: number) => fmt.money(minor, figures.currency);
            const items = [
              { label: "Revenue", value: money(figures.revenue) },
              { label: "API cost", value: money(figures.apiCost) },
              { label: "Gateway fees", value: money(figures.gatewayFees) },
              { label: "Margin", value: money(figures.margin), tone: figures.margin < 0 ? "text-danger-700" : "text-slate-900" },
            ];
            return (
              <li key={month.key} className="px-5 py-3" data-testid="customer-api-cost-month">
                <p className="text-[13px] font-medium text-slate-600">{i === 0 ? `${monthLabel(month, fmt)} (so far)` : monthLabel(month, fmt)}</p>
                <dl className="mt-1.5 grid grid-cols-2 gap-x-4 gap-y-2 sm:grid-cols-4">
                  {items.map((item) => (
                    <div key={item.label} className="min-w-0">
                      <dt className="text-xs text-slate-500">{item.label}</dt>
                      <dd className={`text-sm font-semibold tabular-nums ${item.tone ?? "text-slate-900"}`}>{item.value}</dd>
                    </div>
                  ))}
                </dl>
              </li>
            );
          })}
        </ul>
      ) : null}
    </Card>
  );
}
