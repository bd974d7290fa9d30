import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { FieldsForm } from "@/components/admin/FieldsForm";
import { RebillCard } from "@/components/admin/api-costs/RebillCard";
import { listMeterCodes } from "@/db/queries/usage-admin";
import { providerFields, quotaLabel, regionsLabel } from "@/components/admin/api-costs/provider-terms";
import { Badge, Card, CardHeader, DescriptionList, FlashToast, PageHeader, Table, TBody, TD, TH, THead, TR, type BadgeTone } from "@/components/ui";
import { newestFirst, rateStatuses, type RateStatus } from "@/lib/api-costs/rate-history";
import { can } from "@/lib/auth/permissions";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { retrieveCostProvider, type CostProviderWithRates } from "@/lib/services/api-costs/providers";
import { addCostRateAction, stopRebillAction, updateCostProviderAction, updateRebillAction } from "../actions";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "API-cost provider · Tally Admin" };
export const dynamic = "force-dynamic";

const statusBadge: Record<RateStatus, { tone: BadgeTone; label: string }> = {
  in_force: { tone: "success", label: "In force" },
  scheduled: { tone: "info", label: "Scheduled" },
  superseded: { tone: "neutral", label: "Superseded" },
};

export default async function CostProviderPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ notice?: string }> }) {
  const user = await requirePageUser("api_costs.read");
  const fmt = await consoleFormatter();
  const [{ id }, { notice }] = await Promise.all([params, searchParams]);
  const now = new Date();
  let found: CostProviderWithRates;
  try {
    found = await retrieveCostProvider({ db: await getDb(), actor: actorOf(user), now }, id);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
  const { provider, rates } = found;
  const sumMeters = (await listMeterCodes(await getDb()))
    .filter(({ current }) => current.livemode === provider.livemode && current.aggregation === "sum")
    .map(({ current }) => current.code);
  const canWrite = can(user.role, "api_costs.write");
  const statuses = rateStatuses(rates, now);
  const history = newestFirst(rates);
  const operations = [...new Set(rates.map((r) => r.operation))];

  return (
    <div className="space-y-6">
      {notice ? <FlashToast message={notice} tone="success" /> : null}
      <PageHeader title={provider.name} back={{ href: "/admin/api-costs/providers", label: "Providers" }} description={`${provider.code} · costs name the provider by this code`} />

      <Card>
        <CardHeader title="Details" />
        <div className="px-5 py-2">
          <DescriptionList
            items={[
              { label: "Code", value: <span className="font-mono text-[13px]">{provider.code}</span> },
              { label: "Regions", value: regionsLabel(provider.regions) },
              { label: "Quota", value: quotaLabel(provider.quota, fmt) },
              { label: "Created", value: fmt.dateTime(provider.createdAt) },
              { label: "Updated", value: fmt.dateTime(provider.updatedAt) },
            ]}
          />
        </div>
      </Card>

      <RebillCard fmt={fmt} provider={provider} sumMeters={sumMeters} canWrite={canWrite} updateAction={updateRebillAction} stopAction={stopRebillAction} />

      <Card>
        <CardHeader
          title="Rate history"
          description="Newest first. A cost is priced by the rate in force at its own time: the latest for its region at or before it, else the latest provider-wide rate. Amounts are minor units (cents) per unit."
        />
        <Table bare caption={`Rates of ${provider.code}, newest first`}>
          <THead>
            <TR>
              <TH>Effective from (UTC)</TH>
              <TH>Operation</TH>
              <TH>Region</TH>
              <TH numeric>Cost per unit</TH>
              <TH>Status</TH>
              <TH>Note</TH>
            </TR>
          </THead>
          <TBody>
            {history.length === 0 ? (
              <TR>
                <TD colSpan={6} className="py-8 text-center text-slate-600">
                  No rates yet: costs without a given cost are refused (cost_rate_missing) until one is added.
                </TD>
              </TR>
            ) : null}
            {history.map((r) => {
              const status = statusBadge[statuses.get(r.id) ?? "superseded"];
              return (
                <TR key={r.id} data-rate-status={statuses.get(r.id)}>
                  <TD>{fmt.dateTime(r.effectiveFrom)}</TD>
                  <TD>
                    <span className="font-mono text-[13px]">{r.operation}</span>
                  </TD>
                  <TD muted>{r.region ?? "All"}</TD>
                  <TD numeric className="font-medium">
                    {r.unitCostDecimal} {r.currency.toUpperCase()}
                    <span className="block text-xs font-normal text-slate-500">minor units per {r.unit}</span>
                  </TD>
                  <TD>
                    <Badge tone={status.tone} dot>
                      {status.label}
                    </Badge>
                  </TD>
                  <TD wrap muted className="max-w-72 min-w-48 text-[13px]">
                    {r.note ?? "—"}
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      </Card>

      {canWrite ? (
        <>
          <Card>
            <CardHeader title="Add a rate" description="Appended to the history, never an edit: from its effective date it prices the operation's new costs (in its region, or everywhere without one). Costs already recorded keep their cost." />
            <FieldsForm
              action={addCostRateAction}
              submitLabel="Add rate"
              hidden={{ id: provider.id }}
              fields={[
                { kind: "text", name: "operation", label: "Operation", defaultValue: operations[0] ?? "", hint: operations.length > 0 ? `Known: ${operations.join(", ")}` : "e.g. completion, address_lookup", required: true },
                {
                  kind: "select",
                  name: "region",
                  label: "Region",
                  defaultValue: "",
                  options: [{ value: "", label: "All regions (provider-wide)" }, ...provider.regions.map((r) => ({ value: r, label: r }))],
                },
                { kind: "text", name: "unit", label: "Unit", defaultValue: rates[0]?.unit ?? "", hint: "e.g. token, 1k_tokens, lookup", required: true },
                { kind: "text", name: "unit_cost_decimal", label: "Cost per unit (minor units)", defaultValue: "", hint: "Cents per unit, exact: 0.000015 is $0.15 per million.", placeholder: "0.000015", required: true },
                { kind: "text", name: "currency", label: "Currency", defaultValue: rates[0]?.currency ?? "usd", required: true },
                { kind: "datetime-local", name: "effective_from", label: "Effective from (UTC)", defaultValue: "", hint: "Empty: now." },
                { kind: "textarea", name: "note", label: "Note", defaultValue: "", hint: "Where the price comes from, e.g. the provider's price list of 1 Dec.", wide: true },
              ]}
            />
          </Card>
          <Card>
            <CardHeader title="Edit provider" description="The code stays: costs name the provider by it." />
            <FieldsForm action={updateCostProviderAction} hidden={{ id: provider.id }} fields={providerFields(provider)} />
          </Card>
        </>
      ) : null}
    </div>
  );
}
