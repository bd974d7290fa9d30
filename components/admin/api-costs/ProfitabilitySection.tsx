import Link from "next/link";
import { Alert, Card, CardBody, CardHeader, Table, TBody, TD, TEmpty, TH, THead, TR } from "@/components/ui";
import type { Panel } from "@/lib/services/api-costs/console";
import type { CustomerProfit, PlanProfit, Profitability } from "@/lib/services/api-costs/profitability";
import type { Formatter } from "@/lib/format";

const marginTone = (margin: number) => (margin < 0 ? "font-semibold text-danger-700" : "font-medium text-slate-900");

/** Revenue, API cost, gateway fees and margin cells of a row (each figure rounded once, margin their difference). */
function FigureCells({ row, fmt }: { row: Profitability; fmt: Formatter }) {
  const money = (minor: number) => fmt.money(minor, row.currency);
  return (
    <>
      <TD numeric>{money(row.revenue)}</TD>
      <TD numeric muted>
        {money(row.apiCost)}
      </TD>
      <TD numeric muted>
        {money(row.gatewayFees)}
      </TD>
      <TD numeric>
        {/* A span: a cell's own text colour would not give way to a class passed to it. */}
        <span className={marginTone(row.margin)}>{money(row.margin)}</span>
      </TD>
    </>
  );
}

const FigureHeads = () => (
  <>
    <TH numeric>Revenue</TH>
    <TH numeric>API cost</TH>
    <TH numeric>Gateway fees</TH>
    <TH numeric>Margin</TH>
  </>
);

/**
 * Profitability in the month (lib/services/api-costs/profitability.ts): the customers whose margin
 * is below zero, worst first, each linking to their page, and the margin per plan. Revenue is net
 * of tax, refunds and credit notes; margin is revenue less attributed API costs and gateway fees.
 */
export function ProfitabilitySection({ profitability, title, fmt }: { profitability: Panel<{ unprofitable: CustomerProfit[]; plans: PlanProfit[] }>; title: string; fmt: Formatter }) {
  const description = `Revenue net of tax, refunds and credit notes (invoices finalized ${title}), less the API costs attributed to the customer and the gateway fees on their payments.`;
  if (profitability.problem !== null) {
    return (
      <Card data-testid="profitability">
        <CardHeader title="Profitability" description={description} />
        <CardBody>
          <Alert tone="warning">Profitability needs an exchange rate: {profitability.problem}</Alert>
        </CardBody>
      </Card>
    );
  }
  const { unprofitable, plans } = profitability.value;
  return (
    <div className="space-y-6" data-testid="profitability">
      <Card>
        <CardHeader title="Unprofitable customers" description={description} />
        <Table bare caption={`Unprofitable customers ${title}`}>
          <THead>
            <TR>
              <TH>Customer</TH>
              <FigureHeads />
            </TR>
          </THead>
          <TBody>
            {unprofitable.length === 0 ? <TEmpty colSpan={5}>No customer cost more than they brought in {title}.</TEmpty> : null}
            {unprofitable.map((c) => (
              <TR key={c.customer.id} interactive>
                <TD wrap className="min-w-40">
                  <Link href={`/admin/customers/${c.customer.id}`} className="rounded-sm font-medium break-words text-brand-700 hover:underline">
                    {c.customer.name ?? c.customer.email ?? c.customer.id}
                  </Link>
                  <span className="block text-xs break-words text-slate-500">{c.plan ? (c.plan.name ?? c.plan.id) : "No plan"}</span>
                </TD>
                <FigureCells fmt={fmt} row={c} />
              </TR>
            ))}
          </TBody>
        </Table>
      </Card>
      <Card>
        <CardHeader title="Margin per plan" description="Each customer counts under the plan they are on now; customers without a subscription under “No plan”." />
        <Table bare caption={`Margin per plan ${title}`}>
          <THead>
            <TR>
              <TH>Plan</TH>
              <TH numeric>Customers</TH>
              <FigureHeads />
            </TR>
          </THead>
          <TBody>
            {plans.length === 0 ? <TEmpty colSpan={6}>No revenue, API costs or fees {title}.</TEmpty> : null}
            {plans.map((p) => (
              <TR key={p.plan?.id ?? "none"}>
                <TD wrap className="min-w-32">
                  {p.plan ? (
                    <Link href={`/admin/catalog/plans/${p.plan.id}`} className="font-medium break-words text-brand-700 hover:underline">
                      {p.plan.name ?? p.plan.id}
                    </Link>
                  ) : (
                    <span className="text-slate-600">No plan</span>
                  )}
                </TD>
                <TD numeric muted>
                  {p.customers}
                </TD>
                <FigureCells fmt={fmt} row={p} />
              </TR>
            ))}
          </TBody>
        </Table>
      </Card>
    </div>
  );
}
