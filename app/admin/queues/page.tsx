import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { disputeQueue, dunningQueue, failedStripeEvents, openReconciliationItems } from "@/db/queries/work-queues";
import { listOpenEscalations } from "@/db/queries/notes";
import { Badge, EmptyState, PageHeader, StatusBadge, Table, TBody, TD, TH, THead, TR, cn } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { viewerZone } from "@/lib/auth/viewer-zone";
import { calendarDaysBetween } from "@/lib/time";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Work queues · Tally Admin" };
export const dynamic = "force-dynamic";

const queues = [
  { id: "dunning", label: "Dunning" },
  { id: "disputes", label: "Disputes" },
  { id: "reconciliation", label: "Reconciliation" },
  { id: "webhooks", label: "Failed webhooks" },
  { id: "escalations", label: "Escalations" },
] as const;
type QueueId = (typeof queues)[number]["id"];

const stageLabel = { active: "Retrying", warning: "Warning", blocked: "Blocked" } as const;

export default async function QueuesPage({ searchParams }: { searchParams: Promise<{ queue?: string }> }) {
  await requirePageUser("customers.read");
  const fmt = await consoleFormatter();
  const { queue: requested } = await searchParams;
  const queue: QueueId = queues.some((q) => q.id === requested) ? (requested as QueueId) : "dunning";
  const db = await getDb();
  const [dunning, disputesDue, reconciliation, webhooks, escalations, { timeZone }] = await Promise.all([
    dunningQueue(db),
    disputeQueue(db),
    openReconciliationItems(db),
    failedStripeEvents(db),
    listOpenEscalations(db, { limit: 200 }),
    viewerZone(),
  ]);
  const counts: Record<QueueId, number> = { dunning: dunning.length, disputes: disputesDue.length, reconciliation: reconciliation.length, webhooks: webhooks.length, escalations: escalations.length };
  const now = new Date();
  const atRisk = new Map<string, number>();
  for (const row of dunning) atRisk.set(row.currency, (atRisk.get(row.currency) ?? 0) + row.amount_remaining);
  return (
    <div className="space-y-6">
      <PageHeader title="Work queues" description={`What needs a person: failed payments in dunning, disputes awaiting evidence, payments that don't reconcile, webhooks Tally couldn't process, and requests escalated to a billing admin. Times are in ${timeZone === "UTC" ? "UTC" : `your time zone (${timeZone})`}.`} />
      <nav aria-label="Queues" className="flex gap-1 overflow-x-auto border-b border-slate-200">
        {queues.map((q) => (
          <Link
            key={q.id}
            href={`/admin/queues?queue=${q.id}`}
            aria-current={q.id === queue ? "page" : undefined}
            className={cn(
              "inline-flex h-10 items-center gap-2 border-b-2 px-3 text-sm font-medium whitespace-nowrap",
              q.id === queue ? "border-brand-600 text-slate-900" : "border-transparent text-slate-600 hover:text-slate-900",
            )}
          >
            {q.label}
            <Badge tone={counts[q.id] > 0 ? (q.id === "dunning" || q.id === "escalations" ? "warning" : "danger") : "neutral"}>{counts[q.id]}</Badge>
          </Link>
        ))}
      </nav>

      {queue === "dunning" &&
        (dunning.length === 0 ? (
          <EmptyState title="Nobody is in dunning" description="Customers whose payment failed appear here until they pay or the schedule ends." />
        ) : (
          <>
            <p className="text-sm text-slate-700">
              Amount at risk:{" "}
              <span className="font-semibold text-slate-900">
                {[...atRisk].map(([currency, amount]) => fmt.money(amount, currency)).join(" · ")}
              </span>
            </p>
            <Table caption="Open invoices with failed payments" className="table-fixed">
              <THead>
                <TR>
                  <TH>Customer</TH>
                  <TH className="w-[8.5rem]">Stage</TH>
                  <TH className="w-[7.5rem]">Invoice</TH>
                  <TH numeric className="w-[6.5rem]">
                    At risk
                  </TH>
                  <TH className="w-[7.5rem]">Failing since</TH>
                  <TH className="w-[9.5rem]">Next retry</TH>
                  <TH className="w-[10rem]">Last decline</TH>
                </TR>
              </THead>
              <TBody>
                {dunning.map((row) => {
                  const firstCharge = row.subscription_status === "incomplete";
                  // Days are counted on the customer's own clock (a test clock runs ahead of the wall clock), in the customer's calendar.
                  const days = Math.max(0, calendarDaysBetween(row.first_failed_at, row.clock_time ?? now, row.customer_timezone));
                  return (
                    <TR key={row.invoice_id}>
                      <TD wrap className="break-words">
                        <Link href={`/admin/customers/${row.customer_id}`} className="font-medium text-brand-700 hover:underline">
                          {row.customer_name ?? row.customer_email ?? row.customer_id}
                        </Link>
                        {row.customer_name && <div className="text-xs text-slate-500">{row.customer_email}</div>}
                      </TD>
                      <TD wrap>
                        <Badge tone={row.customer_status === "blocked" ? "danger" : "warning"}>{firstCharge ? "First payment failed" : stageLabel[row.customer_status]}</Badge>
                      </TD>
                      <TD wrap className="font-mono text-xs break-all">
                        {row.invoice_number ?? row.invoice_id}
                      </TD>
                      <TD numeric className="font-medium text-slate-900">
                        {fmt.money(row.amount_remaining, row.currency)}
                      </TD>
                      <TD muted wrap>
                        {fmt.date(row.first_failed_at, timeZone)}
                        <div className="text-xs">
                          day {days}
                          {row.clock_time ? " (test clock)" : ""}
                        </div>
                      </TD>
                      <TD muted wrap>
                        {row.next_payment_attempt_at
                          ? fmt.dateTime(row.next_payment_attempt_at, timeZone, { zoneName: true })
                          : firstCharge
                            ? "None: the subscription starts when the customer pays"
                            : "None planned"}
                      </TD>
                      <TD wrap className="text-[13px] break-words">
                        {row.last_decline ?? "—"} {row.failures > 1 && <span className="text-slate-500">({row.failures} failures)</span>}
                      </TD>
                    </TR>
                  );
                })}
              </TBody>
            </Table>
          </>
        ))}

      {queue === "disputes" &&
        (disputesDue.length === 0 ? (
          <EmptyState title="No disputes need a response" description="Disputes appear here with their evidence deadline as Stripe reports them." />
        ) : (
          <Table caption="Disputes awaiting a response">
            <THead>
              <TR>
                <TH>Customer</TH>
                <TH>Reason</TH>
                <TH numeric>Amount</TH>
                <TH>Status</TH>
                <TH>Evidence due</TH>
              </TR>
            </THead>
            <TBody>
              {disputesDue.map(({ dispute, customer }) => {
                const overdue = dispute.evidenceDueBy && dispute.evidenceDueBy < now;
                return (
                  <TR key={dispute.id}>
                    <TD>
                      <Link href={`/admin/customers/${customer.id}`} className="font-medium text-brand-700 hover:underline">
                        {customer.name ?? customer.email ?? customer.id}
                      </Link>
                    </TD>
                    <TD>{dispute.reason.replaceAll("_", " ")}</TD>
                    <TD numeric>{fmt.money(dispute.amount, dispute.currency)}</TD>
                    <TD>
                      <StatusBadge status={dispute.status} />
                    </TD>
                    <TD className={overdue ? "font-medium text-red-700" : undefined}>
                      {dispute.evidenceDueBy ? `${fmt.dateTime(dispute.evidenceDueBy, timeZone, { zoneName: true })}${overdue ? " (overdue)" : ""}` : "—"}
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        ))}

      {queue === "reconciliation" &&
        (reconciliation.length === 0 ? (
          <EmptyState title="Everything reconciles" description="Tally compares its payments with the gateway's every hour; differences appear here." />
        ) : (
          <Table caption="Open reconciliation items">
            <THead>
              <TR>
                <TH>Found</TH>
                <TH>Kind</TH>
                <TH>Detail</TH>
                <TH>Payment</TH>
              </TR>
            </THead>
            <TBody>
              {reconciliation.map((item) => (
                <TR key={item.id}>
                  <TD muted>{fmt.dateTime(item.createdAt, timeZone, { zoneName: true })}</TD>
                  <TD>
                    <Badge tone="warning">{item.kind.replaceAll("_", " ")}</Badge>
                  </TD>
                  <TD wrap className="min-w-[16rem] text-[13px]">{item.detail}</TD>
                  <TD className="font-mono text-xs">{item.paymentId ?? "—"}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        ))}

      {queue === "webhooks" &&
        (webhooks.length === 0 ? (
          <EmptyState title="No failed webhooks" description="Stripe events Tally could not process appear here; Tally retries each up to 10 times." />
        ) : (
          <Table caption="Stripe events not yet processed">
            <THead>
              <TR>
                <TH>Received</TH>
                <TH>Event</TH>
                <TH numeric>Attempts</TH>
                <TH>Last error</TH>
              </TR>
            </THead>
            <TBody>
              {webhooks.map((e) => (
                <TR key={e.id}>
                  <TD muted>{fmt.dateTime(e.receivedAt, timeZone, { zoneName: true })}</TD>
                  <TD>
                    <div className="font-medium text-slate-900">{e.type}</div>
                    <div className="font-mono text-xs text-slate-500">{e.id}</div>
                  </TD>
                  <TD numeric>
                    {e.attempts}
                    {e.attempts >= 10 && <span className="ml-1 text-xs text-red-700">(gave up)</span>}
                  </TD>
                  <TD wrap className="min-w-[16rem] text-[13px] break-words">{e.error ?? "—"}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        ))}

      {queue === "escalations" &&
        (escalations.length === 0 ? (
          <EmptyState title="Nothing is waiting for a billing admin" description="Notes and refund requests staff escalate appear here, oldest first, until a billing admin resolves them." />
        ) : (
          <Table caption="Escalations waiting for a billing admin, oldest first">
            <THead>
              <TR>
                <TH>Customer</TH>
                <TH>Request</TH>
                <TH>From</TH>
                <TH>Sent</TH>
              </TR>
            </THead>
            <TBody>
              {escalations.map(({ note, customer, authorEmail }) => (
                <TR key={note.id}>
                  <TD wrap className="break-words">
                    <Link href={`/admin/customers/${customer.id}?tab=${note.paymentId ? "payments" : "notes"}`} className="font-medium text-brand-700 hover:underline">
                      {customer.name ?? customer.email}
                    </Link>
                  </TD>
                  <TD wrap className="min-w-[16rem] text-[13px] break-words">
                    {note.body}
                  </TD>
                  <TD muted>{authorEmail ?? "staff"}</TD>
                  <TD muted>{fmt.dateTime(note.createdAt, timeZone, { zoneName: true })}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        ))}
    </div>
  );
}
