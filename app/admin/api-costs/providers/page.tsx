import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { FieldsForm } from "@/components/admin/FieldsForm";
import { providerFields, quotaLabel, regionsLabel } from "@/components/admin/api-costs/provider-terms";
import { Card, CardBody, CardHeader, EmptyState, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { rateStatuses } from "@/lib/api-costs/rate-history";
import { can } from "@/lib/auth/permissions";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { listCostProviders } from "@/lib/services/api-costs/providers";
import { createCostProviderAction } from "./actions";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "API-cost providers · Tally Admin" };
export const dynamic = "force-dynamic";

export default async function CostProvidersPage() {
  const user = await requirePageUser("api_costs.read");
  const fmt = await consoleFormatter();
  const canWrite = can(user.role, "api_costs.write");
  const now = new Date();
  const providers = await listCostProviders({ db: await getDb(), actor: actorOf(user), now });

  return (
    <div className="space-y-6">
      <PageHeader
        title="Providers"
        back={{ href: "/admin/api-costs", label: "API costs" }}
        description="The third-party APIs the platform pays for, with the regions they serve, their quota and their rates. Rates are never edited: a new rate supersedes the old one from its effective date, so past costs keep the price they were recorded at."
      />
      <Card>
        <CardHeader title="All providers" description={`${providers.length} provider${providers.length === 1 ? "" : "s"}, by code (test mode)`} />
        {providers.length === 0 ? (
          <CardBody>
            <EmptyState title="No providers yet" description={canWrite ? "Add one below, or with POST /cost_providers." : "A billing admin adds providers, here or through the API."} />
          </CardBody>
        ) : (
          <Table bare caption="API-cost providers">
            <THead>
              <TR>
                <TH>Provider</TH>
                <TH>Regions</TH>
                <TH>Quota</TH>
                <TH numeric>Rates in force</TH>
                <TH>Updated</TH>
              </TR>
            </THead>
            <TBody>
              {providers.map(({ provider: p, rates }) => {
                const statuses = rateStatuses(rates, now);
                return (
                  <TR key={p.id} interactive>
                    <TD wrap className="min-w-44">
                      <Link href={`/admin/api-costs/providers/${p.id}`} className="rounded-sm font-medium text-brand-700 hover:underline">
                        {p.name}
                      </Link>
                      <span className="block font-mono text-xs break-all text-slate-500">{p.code}</span>
                    </TD>
                    <TD>{regionsLabel(p.regions)}</TD>
                    <TD muted>{quotaLabel(p.quota, fmt)}</TD>
                    <TD numeric>
                      {[...statuses.values()].filter((s) => s === "in_force").length}
                      <span className="block text-xs text-slate-500">of {rates.length}</span>
                    </TD>
                    <TD muted>{fmt.date(p.updatedAt)}</TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        )}
      </Card>

      {canWrite ? (
        <Card>
          <CardHeader title="New provider" description="Created in test mode, without rates: add them on the provider's page. Live providers are created with a live API key." />
          <FieldsForm
            action={createCostProviderAction}
            submitLabel="Create provider"
            fields={[{ kind: "text", name: "code", label: "Code", defaultValue: "", hint: "How costs name it (POST /api_costs provider), e.g. openai.", required: true }, ...providerFields({ name: "", regions: [], quota: null })]}
          />
        </Card>
      ) : null}
    </div>
  );
}
