import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listPlansOverview, listProducts } from "@/db/queries/catalog-admin";
import { ConfirmedForm } from "@/components/admin/catalog/ConfirmedForm";
import { perInterval, taxLabel } from "@/components/admin/catalog/terms";
import { Badge, Card, CardBody, CardHeader, EmptyState, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { intervalLabel } from "@/lib/format";
import { createPlanAction } from "./actions";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Plans · Tally Admin" };
export const dynamic = "force-dynamic";

export default async function PlansPage({ searchParams }: { searchParams: Promise<{ product?: string }> }) {
  const user = await requirePageUser("catalog.read");
  const fmt = await consoleFormatter();
  const canWrite = can(user.role, "catalog.write");
  const { product: productFilter } = await searchParams;
  const db = await getDb();
  const [all, products] = await Promise.all([listPlansOverview(db), listProducts(db)]);
  const filterProduct = products.find((p) => p.id === productFilter);
  const plans = filterProduct ? all.filter((p) => p.product.id === filterProduct.id) : all;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Plans"
        description="Each plan bills on an interval at a price per currency. Prices are versioned: a new version applies to new subscribers, and existing ones keep theirs until you migrate them on the plan's page."
      />
      <Card>
        <CardHeader
          title={filterProduct ? `Plans of ${filterProduct.name}` : "All plans"}
          description={filterProduct ? <Link href="/admin/catalog/plans" className="rounded-sm text-brand-700 hover:underline">Show all plans</Link> : `${plans.length} plan${plans.length === 1 ? "" : "s"}`}
        />
        {plans.length === 0 ? (
          <CardBody>
            <EmptyState title="No plans yet" description={canWrite ? "Create one below: a name, an interval and a first price." : "A billing admin creates plans."} />
          </CardBody>
        ) : (
          <>
          {/* Phones get a list: six columns would show only the names. */}
          <ul className="divide-y divide-slate-100 sm:hidden">
            {plans.map(({ plan, product, current, subscribers }) => (
              <li key={plan.id} className="px-5 py-3">
                <div className="flex items-start justify-between gap-3">
                  <Link href={`/admin/catalog/plans/${plan.id}`} className="rounded-sm text-sm font-medium text-brand-700 hover:underline">
                    {plan.name}
                  </Link>
                  {plan.active && product.active ? <Badge tone="success" dot>Active</Badge> : <Badge>Inactive</Badge>}
                </div>
                <p className="mt-1 text-sm text-slate-800 tabular-nums">
                  {current.length === 0
                    ? "No price"
                    : current.map((p) => `${p.unitAmount !== null ? fmt.money(p.unitAmount, p.currency) : "Tiered"}${perInterval(plan.interval, plan.intervalCount)}`).join(" · ")}
                </p>
                <p className="mt-0.5 text-[13px] text-slate-600">
                  {subscribers} subscriber{subscribers === 1 ? "" : "s"} · {product.name}
                </p>
              </li>
            ))}
          </ul>
          <Table bare wrapperClassName="hidden sm:block" caption="Plans with their current price per currency and subscriber counts">
            <THead>
              <TR>
                <TH>Plan</TH>
                <TH>Product</TH>
                <TH>Billed every</TH>
                <TH>Current price</TH>
                <TH numeric>Subscribers</TH>
                <TH>Status</TH>
              </TR>
            </THead>
            <TBody>
              {plans.map(({ plan, product, current, subscribers }) => (
                <TR key={plan.id} interactive>
                  <TD>
                    <Link href={`/admin/catalog/plans/${plan.id}`} className="rounded-sm font-medium text-brand-700 hover:underline">
                      {plan.name}
                    </Link>
                    <p className="font-mono text-xs text-slate-500">{plan.code}</p>
                  </TD>
                  <TD muted>{product.name}</TD>
                  <TD>
                    {intervalLabel(plan.interval, plan.intervalCount)}
                    {plan.trialPeriodDays > 0 ? <span className="block text-xs text-slate-500">{plan.trialPeriodDays}-day trial</span> : null}
                  </TD>
                  <TD wrap className="min-w-40">
                    {current.length === 0 ? (
                      <span className="text-slate-500">No price</span>
                    ) : (
                      <ul className="space-y-0.5">
                        {current.map((p) => (
                          <li key={p.id} className="tabular-nums">
                            {p.unitAmount !== null ? fmt.money(p.unitAmount, p.currency) : "Tiered"}
                            <span className="text-slate-500">
                              {perInterval(plan.interval, plan.intervalCount)} · {p.currency.toUpperCase()} v{p.version}
                            </span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </TD>
                  <TD numeric>{subscribers}</TD>
                  <TD>{plan.active && product.active ? <Badge tone="success" dot>Active</Badge> : <Badge>Inactive</Badge>}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
          </>
        )}
      </Card>

      {canWrite && products.length > 0 ? (
        <Card>
          <CardHeader title="New plan" description="With its first price. More currencies and later versions are added on the plan's page." />
          <ConfirmedForm reader={fmt.reader}
            action={createPlanAction}
            submitLabel="Create plan…"
            confirmTitle="Create this plan?"
            confirmLabel="Create plan"
            summary="plan"
            fields={[
              {
                kind: "select",
                name: "product",
                label: "Product",
                // Chosen on purpose: preselected only when the list is already filtered to one product.
                defaultValue: filterProduct?.id,
                placeholder: "Choose a product",
                options: products.map((p) => ({ value: p.id, label: p.active ? p.name : `${p.name} (inactive)` })),
              },
              { kind: "text", name: "name", label: "Name", placeholder: "e.g. Pro" },
              { kind: "text", name: "code", label: "Code", placeholder: "e.g. pro-monthly", hint: "Unique; what the API and checkout links use." },
              {
                kind: "select",
                name: "interval",
                label: "Billed every",
                defaultValue: "month",
                options: ["month", "year", "week", "day"].map((u) => ({ value: u, label: u })),
              },
              { kind: "number", name: "interval_count", label: "Interval count", defaultValue: "1", hint: "3 with month = quarterly." },
              { kind: "number", name: "trial_period_days", label: "Trial days", defaultValue: "0" },
              { kind: "text", name: "currency", label: "Currency", defaultValue: "AUD", hint: "Three letters, e.g. AUD, USD." },
              { kind: "money", name: "amount", label: "Price", placeholder: "29.00", hint: "Per interval, e.g. 29.00." },
              {
                kind: "select",
                name: "tax_behavior",
                label: "Tax",
                defaultValue: "inclusive",
                options: [
                  { value: "inclusive", label: `Price ${taxLabel("inclusive", "aud")}` },
                  { value: "exclusive", label: "Tax added on top" },
                ],
              },
            ]}
          />
        </Card>
      ) : null}
    </div>
  );
}
