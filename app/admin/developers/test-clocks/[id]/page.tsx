import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { listActivePlansWithPrices } from "@/db/queries/catalog";
import { findTestClock, testClockActivity } from "@/db/queries/test-clocks";
import { FieldsForm } from "@/components/admin/FieldsForm";
import { Badge, Card, CardBody, CardHeader, EmptyState, PageHeader, StatusBadge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { addInterval } from "@/lib/time/period";
import { addClockCustomerAction, advanceClockAction } from "../actions";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Test clock · Tally Admin" };
export const dynamic = "force-dynamic";

const testCards = [
  { value: "pm_card_visa", label: "Visa 4242 (succeeds)" },
  { value: "pm_card_chargeCustomerFail", label: "0341 (attaches, every charge fails)" },
  { value: "pm_card_chargeDeclinedInsufficientFunds", label: "9995 (insufficient funds)" },
  { value: "none", label: "No card" },
];

/** The clock's time plus one unit, as a datetime-local value in UTC (the month clamps like a renewal: 31 Jan → 28 Feb). */
function plus(date: Date, unit: "day" | "month" | "year"): string {
  return addInterval(date, { unit, count: 1 }, "UTC").toISOString().slice(0, 16);
}

export default async function TestClockPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser("test_clocks.manage");
  const fmt = await consoleFormatter();
  const { id } = await params;
  const db = await getDb();
  const clock = await findTestClock(db, id);
  if (!clock) notFound();
  const [activity, plans] = await Promise.all([testClockActivity(db, id), listActivePlansWithPrices(db)]);
  const priceOptions = plans.flatMap(({ plan, prices }) =>
    prices.filter((p) => p.currency === "aud").map((p) => ({ value: p.id, label: `${plan.name} · ${fmt.money(p.unitAmount ?? 0, p.currency)}/${plan.interval}` })),
  );
  return (
    <div className="space-y-6">
      <PageHeader
        title={clock.name ?? clock.id}
        description={`Frozen at ${fmt.dateTime(clock.frozenTime)}. Customers on this clock live in its time.`}
        back={{ href: "/admin/developers/test-clocks", label: "Test clocks" }}
        meta={clock.status === "advancing" ? <Badge tone="info">Advancing</Badge> : <Badge tone="success">Ready</Badge>}
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card className="min-w-0">
          <CardHeader title="Advance the clock" description="Everything due on the way runs in time order: renewals, trial ends, retries, dunning. Presets: +1 day, +1 month from now on the clock." />
          <CardBody className="pb-0 text-[13px] text-slate-600">
            +1 day: {plus(clock.frozenTime, "day").replace("T", " ")} · +1 month: {plus(clock.frozenTime, "month").replace("T", " ")} · +1 year: {plus(clock.frozenTime, "year").replace("T", " ")}
          </CardBody>
          <FieldsForm
            action={advanceClockAction}
            hidden={{ clockId: clock.id }}
            submitLabel="Advance"
            fields={[{ kind: "datetime-local", name: "to", label: "Advance to (UTC)", defaultValue: plus(clock.frozenTime, "month") }]}
          />
        </Card>
        <Card className="min-w-0">
          <CardHeader title="Add a test customer" />
          <FieldsForm
            action={addClockCustomerAction}
            hidden={{ clockId: clock.id }}
            submitLabel="Add customer"
            fields={[
              { kind: "email", name: "email", label: "Email", defaultValue: "", required: true },
              { kind: "text", name: "name", label: "Name", defaultValue: "" },
              { kind: "select", name: "card", label: "Card", defaultValue: "pm_card_visa", options: testCards },
              { kind: "select", name: "priceId", label: "Subscribe to", defaultValue: "", options: [{ value: "", label: "Nothing yet" }, ...priceOptions] },
            ]}
          />
        </Card>
      </div>

      <Card>
        <CardHeader title="Customers on this clock" />
        {activity.customers.length === 0 ? (
          <CardBody>
            <EmptyState title="No customers yet" description="Add a test customer above, or create one through the API with test_clock set." />
          </CardBody>
        ) : (
          <Table bare caption="Customers and subscriptions on this clock">
            <THead>
              <TR>
                <TH>Customer</TH>
                <TH>Subscription</TH>
                <TH>Current period</TH>
                <TH>Account</TH>
              </TR>
            </THead>
            <TBody>
              {activity.customers.map((c) => {
                const sub = activity.subscriptions.filter((s) => s.customerId === c.id).at(-1);
                return (
                  <TR key={c.id}>
                    <TD>
                      <Link href={`/admin/customers/${c.id}`} className="font-medium text-brand-700 hover:underline">
                        {c.name ?? c.email}
                      </Link>
                    </TD>
                    <TD>{sub ? <StatusBadge status={sub.status} /> : <span className="text-slate-500">None</span>}</TD>
                    <TD muted>{sub ? fmt.period(sub.currentPeriodStart, sub.currentPeriodEnd) : "—"}</TD>
                    <TD>
                      <StatusBadge status={c.status} />
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        )}
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card className="min-w-0">
          <CardHeader title="Invoices" description="Newest first." />
          {activity.invoices.length === 0 ? (
            <CardBody className="text-sm text-slate-600">No invoices yet.</CardBody>
          ) : (
            <Table bare caption="Invoices of this clock's customers">
              <THead>
                <TR>
                  <TH>Invoice</TH>
                  <TH>Reason</TH>
                  <TH>Status</TH>
                  <TH numeric>Total</TH>
                </TR>
              </THead>
              <TBody>
                {activity.invoices.map((i) => (
                  <TR key={i.id}>
                    <TD className="font-mono text-xs">{i.number ?? "Draft"}</TD>
                    <TD muted>{i.billingReason.replaceAll("_", " ")}</TD>
                    <TD>
                      <StatusBadge status={i.status} />
                    </TD>
                    <TD numeric>{fmt.money(i.total, i.currency)}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </Card>
        <Card className="min-w-0">
          <CardHeader title="Emails" description="Newest first." />
          {activity.emails.length === 0 ? (
            <CardBody className="text-sm text-slate-600">No emails yet.</CardBody>
          ) : (
            <Table bare caption="Emails sent to this clock's customers">
              <THead>
                <TR>
                  <TH>Subject</TH>
                  <TH>Template</TH>
                </TR>
              </THead>
              <TBody>
                {activity.emails.map((e) => (
                  <TR key={e.id}>
                    <TD wrap>
                      <Link href={`/admin/emails/${e.id}`} className="text-brand-700 hover:underline">
                        {e.subject}
                      </Link>
                    </TD>
                    <TD>
                      <Badge>{e.template}</Badge>
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </Card>
      </div>
    </div>
  );
}
