import type { PlanRow, PriceRow } from "@/db/queries/catalog";
import type { PriceMigrationPreview } from "@/lib/services/catalog/migrate-price-version";
import { ConfirmAction } from "@/components/admin/ConfirmAction";
import { Alert, Button, CardBody, CardFooter, Select, Stat, StatGrid, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";
import { perInterval } from "./terms";
import type { Formatter } from "@/lib/format";

function signed(amount: number, currency: string, fmt: Formatter): string {
  return `${amount < 0 ? "−" : amount > 0 ? "+" : ""}${fmt.money(Math.abs(amount), currency)}`;
}

/**
 * The preview of moving one version's subscribers to another, and the button that does it. The
 * dialog repeats the preview's sentence; the run moves exactly the subscriptions counted here
 * (or fewer, if some changed meanwhile).
 */
export function MigrationPanel({
  fmt,
  plan,
  from,
  targets,
  preview,
  action,
}: {
  fmt: Formatter;
  plan: PlanRow;
  from: PriceRow;
  targets: PriceRow[];
  preview: PriceMigrationPreview;
  action: (previous: ActionState, formData: FormData) => Promise<ActionState>;
}) {
  const { totals, sample, to } = preview;
  const money = (n: number) => fmt.money(n, from.currency);
  const per = perInterval(plan.interval, plan.intervalCount);
  return (
    <>
      <form method="get" action={`/admin/catalog/plans/${plan.id}`} className="flex flex-wrap items-end gap-3 border-b border-slate-200 px-5 py-4">
        <input type="hidden" name="migrate" value={from.id} />
        <Select
          name="to"
          label="Move them to"
          defaultValue={to.id}
          wrapperClassName="min-w-0 flex-1 sm:max-w-xs"
          options={targets.map((t) => ({ value: t.id, label: `v${t.version} · ${t.unitAmount !== null ? money(t.unitAmount) : "tiered"}${per}${t.active ? " (current)" : ""}` }))}
        />
        <Button type="submit" variant="secondary">
          Update preview
        </Button>
      </form>
      <CardBody className="space-y-4">
        {totals.subscriptions === 0 ? (
          <Alert tone="info">No subscription on version {from.version} is left to move: each has moved already, is paused or ending, or has a change of its own scheduled.</Alert>
        ) : (
          <p className="text-sm text-slate-800" data-testid="migration-summary">
            {preview.summary}.
          </p>
        )}
        {totals.subscriptions > 0 ? (
        <StatGrid columns={4}>
          <Stat label="Subscriptions moving" value={totals.subscriptions} hint={`${totals.items} item${totals.items === 1 ? "" : "s"}`} />
          <Stat label="MRR before" value={money(totals.mrrBefore)} hint={`v${from.version}, list price`} />
          <Stat label="MRR after" value={money(totals.mrrAfter)} hint={`v${to.version}, list price`} />
          <Stat label="Difference" value={signed(totals.mrrDelta, from.currency, fmt)} hint="per month" hintTone={totals.mrrDelta < 0 ? "danger" : "neutral"} />
        </StatGrid>
        ) : null}
        {sample.length > 0 ? (
          <div>
            <h3 className="mb-2 text-sm font-semibold text-slate-900">Next invoice, before → after</h3>
            <Table caption="A sample of moving subscriptions with their next invoice before and after">
              <THead>
                <TR>
                  <TH>Customer</TH>
                  <TH className="hidden sm:table-cell">Next renewal</TH>
                  <TH numeric>Before</TH>
                  <TH numeric>After</TH>
                </TR>
              </THead>
              <TBody>
                {sample.map((s) => (
                  <TR key={s.subscriptionId}>
                    <TD>{s.customerName ?? s.customerId}</TD>
                    <TD muted className="hidden sm:table-cell">
                      {fmt.date(s.date)}
                    </TD>
                    <TD numeric>{s.before === null ? "—" : money(s.before)}</TD>
                    <TD numeric className="font-medium">
                      {s.after === null ? "—" : money(s.after)}
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
            <p className="mt-2 text-[13px] text-slate-600">
              Invoice totals as the renewal will compute them: discounts, tax and credit included.{totals.subscriptions > sample.length ? ` Showing ${sample.length} of ${totals.subscriptions}.` : ""}
            </p>
          </div>
        ) : null}
      </CardBody>
      {totals.subscriptions > 0 ? (
        <CardFooter>
          <ConfirmAction
            action={action}
            fields={{ planId: plan.id, fromPriceId: from.id, toPriceId: to.id }}
            triggerLabel={`Migrate ${totals.subscriptions} subscription${totals.subscriptions === 1 ? "" : "s"}…`}
            triggerVariant="primary"
            triggerSize="md"
            title={`Migrate to version ${to.version}?`}
            body={
              <>
                <span className="block font-medium text-slate-900">{preview.summary}.</span>
                <span className="mt-2 block">Nothing is charged now: each keeps its current period as paid and renews on version {to.version}. Every move is recorded in the audit log.</span>
              </>
            }
            confirmLabel="Migrate subscribers"
          />
        </CardFooter>
      ) : null}
    </>
  );
}
