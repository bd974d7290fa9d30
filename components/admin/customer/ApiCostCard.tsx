import Link from "next/link";
import type { InvoiceRow } from "@/db/queries/invoices";
import { monthLabel } from "@/components/admin/api-costs/MonthPicker";
import { Card, CardHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { monthOf, previousMonth, type CostMonth } from "@/lib/api-costs/months";
import { formatMoney } from "@/lib/money";
import type { ServiceContext } from "@/lib/services/context";
import { customerCostByMonth, reportProblem } from "@/lib/services/api-costs/cost-report";

const INVOICED = new Set(["open", "paid", "uncollectible"]);

/** What the customer was invoiced in a UTC month, net of tax: finalized invoices, not voided ones. */
export function invoicedNetOfTax(invoices: readonly InvoiceRow[], month: CostMonth): number {
  return invoices.filter((i) => INVOICED.has(i.status) && i.finalizedAt && i.finalizedAt >= month.from && i.finalizedAt < month.to).reduce((sum, i) => sum + i.total - i.tax, 0);
}

/**
 * A customer's attributed API cost this month and last, next to what they were invoiced (net of
 * tax) in the same UTC months. Costs are in the reporting currency, invoices in the customer's.
 */
export async function ApiCostCard({ ctx, customer, invoices }: { ctx: ServiceContext; customer: { id: string; livemode: boolean; currency: string }; invoices: readonly InvoiceRow[] }) {
  const thisMonth = monthOf(ctx.now);
  const months = [thisMonth, previousMonth(thisMonth)];
  let rows: Awaited<ReturnType<typeof customerCostByMonth>> = [];
  let problem: string | null = null;
  try {
    rows = await customerCostByMonth(ctx, { customerId: customer.id, livemode: customer.livemode, months });
  } catch (error) {
    problem = reportProblem(error);
  }
  return (
    <Card data-testid="customer-api-cost">
      <CardHeader
        title="API cost and revenue"
        description={problem ?? "Third-party API costs attributed to this customer, and what they were invoiced net of tax, per UTC month."}
        actions={
          <Link href="/admin/api-costs" className="text-sm font-medium text-brand-700 hover:underline">
            API costs
          </Link>
        }
      />
      {rows.length > 0 ? (
        <Table bare caption="API cost and invoiced revenue per month">
          <THead>
            <TR>
              <TH>Month</TH>
              <TH numeric>API cost</TH>
              <TH numeric>Invoiced</TH>
            </TR>
          </THead>
          <TBody>
            {rows.map(({ month, row }, i) => (
              <TR key={month.key}>
                <TD>{i === 0 ? `${monthLabel(month)} (so far)` : monthLabel(month)}</TD>
                <TD numeric className="font-medium" title={`${row.count} costs; exact ${row.costDecimal} minor units`}>
                  {formatMoney(row.cost, row.currency)}
                </TD>
                <TD numeric>{formatMoney(invoicedNetOfTax(invoices, month), customer.currency)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : null}
    </Card>
  );
}
