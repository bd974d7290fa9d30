import { getDb } from "@/db/client";
import { listCustomerInvoices } from "@/db/queries/invoices";
import { listCustomerDisputes } from "@/db/queries/payments";
import { Badge, EmptyState, StatusBadge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { gateway } from "@/lib/payments";
import type { TabProps } from "./context";
import { daysLeft } from "@/lib/time";
import { consoleFormatter } from "@/lib/auth/console-formatter";

const CLOSED = new Set(["won", "lost", "warning_closed"]);

export async function DisputesTab({ customer, now }: TabProps) {
  const fmt = await consoleFormatter();
  const db = await getDb();
  const [disputes, invoices] = await Promise.all([listCustomerDisputes(db, customer.id), listCustomerInvoices(db, customer.id)]);
  if (disputes.length === 0) return <EmptyState title="No disputes" description="Chargebacks the bank opens on this customer's payments appear here with their evidence deadline." />;
  const numbers = new Map(invoices.map((i) => [i.id, i.number ?? i.id]));
  const gw = gateway();
  return (
    <Table caption="Disputes">
      <THead>
        <TR>
          <TH>Opened</TH>
          <TH>Invoice</TH>
          <TH>Reason</TH>
          <TH>Status</TH>
          <TH>Evidence due (UTC)</TH>
          <TH numeric>Amount</TH>
        </TR>
      </THead>
      <TBody>
        {disputes.map((d) => {
          const open = !CLOSED.has(d.status);
          // Calendar days in the customer's zone, a part day counting as a day; negative once overdue.
          const left = d.evidenceDueBy ? (d.evidenceDueBy < now ? -1 : daysLeft(now, d.evidenceDueBy, customer.timezone)) : null;
          const dashboard = gw.dashboardUrl("dispute", d.gatewayId, d.livemode);
          return (
            <TR key={d.id}>
              <TD muted>{fmt.dateTime(d.createdAt)}</TD>
              <TD muted>{numbers.get(d.invoiceId) ?? d.invoiceId}</TD>
              <TD>{d.reason.replace(/_/g, " ")}</TD>
              <TD>
                <span className="flex items-center gap-2">
                  <StatusBadge status={d.status === "needs_response" ? "warning" : d.status === "won" ? "succeeded" : d.status === "lost" ? "failed" : "open"}>{d.status.replace(/_/g, " ")}</StatusBadge>
                  {d.fundsWithdrawn && !d.fundsReinstated ? <Badge tone="danger">Funds withdrawn</Badge> : null}
                  {dashboard ? (
                    <a className="text-xs text-brand-700 hover:underline" href={dashboard} target="_blank" rel="noreferrer">
                      Stripe ↗
                    </a>
                  ) : null}
                </span>
              </TD>
              <TD>
                {d.evidenceDueBy ? fmt.dateTime(d.evidenceDueBy) : "—"}
                {open && left !== null ? (
                  <span className="ml-2">{left < 0 ? <Badge tone="danger">Overdue</Badge> : <Badge tone={left <= 3 ? "warning" : "neutral"}>{left === 0 ? "Due today" : `${left} day${left === 1 ? "" : "s"} left`}</Badge>}</span>
                ) : null}
              </TD>
              <TD numeric>{fmt.money(d.amount, d.currency)}</TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
