import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { findPlanDetail, listMigrationRuns } from "@/db/queries/catalog-admin";
import { FieldsForm } from "@/components/admin/FieldsForm";
import { ConfirmedForm } from "@/components/admin/catalog/ConfirmedForm";
import { MigrationPanel } from "@/components/admin/catalog/MigrationPanel";
import { MigrationRuns } from "@/components/admin/catalog/MigrationRuns";
import { PriceVersions } from "@/components/admin/catalog/PriceVersions";
import { perInterval } from "@/components/admin/catalog/terms";
import { Badge, ButtonLink, Card, CardBody, CardHeader, DescriptionList, EmptyState, FlashToast, PageHeader } from "@/components/ui";
import { can } from "@/lib/auth/permissions";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { intervalLabel } from "@/lib/format";
import { previewPriceVersionMigration } from "@/lib/services/catalog/migrate-price-version";
import { createPriceVersionAction, migratePriceVersionAction, updatePlanAction } from "../actions";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Plan · Tally Admin" };
export const dynamic = "force-dynamic";

export default async function PlanPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ migrate?: string; to?: string; notice?: string }> }) {
  const user = await requirePageUser("catalog.read");
  const fmt = await consoleFormatter();
  const canWrite = can(user.role, "catalog.write");
  const [{ id }, { migrate, to, notice }] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const detail = await findPlanDetail(db, id);
  if (!detail) notFound();
  const { plan, product, versions } = detail;
  const runs = await listMigrationRuns(db, plan.id);
  const per = perInterval(plan.interval, plan.intervalCount);
  const label = (p: { unitAmount: number | null; currency: string; version: number }) => (p.unitAmount !== null ? `${fmt.money(p.unitAmount, p.currency)}${per}` : `version ${p.version}`);

  // The migration preview, when staff picked a version to move subscribers off.
  const from = canWrite ? versions.find((v) => v.price.id === migrate)?.price : undefined;
  const targets = from ? versions.filter((v) => v.price.currency === from.currency && v.price.id !== from.id).map((v) => v.price) : [];
  const target = targets.find((t) => t.id === to) ?? targets.find((t) => t.active) ?? targets[0];
  const preview = from && target ? await previewPriceVersionMigration({ db, actor: actorOf(user), now: new Date() }, { fromPriceId: from.id, toPriceId: target.id }) : null;

  const current = Object.fromEntries(
    versions.filter((v) => v.price.active).map((v) => [v.price.currency, { label: label(v.price), version: v.price.version, subscribers: v.subscribers }]),
  );
  const currencies = [...new Set(versions.map((v) => v.price.currency))];
  const defaultCurrency = currencies[0] ?? "aud";
  const defaultTax = versions.find((v) => v.price.active && v.price.currency === defaultCurrency)?.price.taxBehavior ?? "inclusive";

  return (
    <div className="space-y-6">
      {notice ? <FlashToast message={notice} tone="success" /> : null}
      <PageHeader
        title={plan.name}
        back={{ href: "/admin/catalog/plans", label: "Plans" }}
        meta={plan.active && product.active ? <Badge tone="success" dot>Active</Badge> : <Badge>Inactive</Badge>}
        description={`${product.name} · billed every ${intervalLabel(plan.interval, plan.intervalCount)}${plan.trialPeriodDays ? ` · ${plan.trialPeriodDays}-day trial` : ""}`}
      />

      <Card>
        <CardHeader title="Price versions" description="New subscribers get the current version in their currency. Grandfathered versions keep billing their subscribers until you migrate them." />
        {versions.length === 0 ? (
          <CardBody>
            <EmptyState title="No prices yet" description={canWrite ? "Add the first price below." : "This plan has no price, so no one can subscribe to it."} />
          </CardBody>
        ) : (
          <PriceVersions fmt={fmt} plan={plan} versions={versions} canWrite={canWrite} migrating={from?.id} />
        )}
      </Card>

      {from && preview ? (
        <Card id="migrate">
          <CardHeader
            title={`Migrate subscribers off ${from.currency.toUpperCase()} version ${from.version} (${label(from)})`}
            description="They move at their next renewal, without proration: the period they have paid for stays as it is."
            actions={
              <ButtonLink href={`/admin/catalog/plans/${plan.id}`} variant="ghost" size="sm">
                Close
              </ButtonLink>
            }
          />
          <MigrationPanel fmt={fmt} plan={plan} from={from} targets={targets} preview={preview} action={migratePriceVersionAction} />
        </Card>
      ) : null}

      {canWrite ? (
        <Card>
          <CardHeader title="New price version" description="Becomes the current price in its currency for new subscribers. Existing subscribers stay on their version until migrated." />
          <ConfirmedForm reader={fmt.reader}
            action={createPriceVersionAction}
            hidden={{ planId: plan.id }}
            submitLabel="Create version…"
            confirmTitle="Create a new price version?"
            confirmLabel="Create version"
            summary="price_version"
            context={{ planName: plan.name, interval: { unit: plan.interval, count: plan.intervalCount }, current }}
            fields={[
              { kind: "text", name: "currency", label: "Currency", defaultValue: defaultCurrency.toUpperCase(), hint: "A currency the plan has, or a new one." },
              { kind: "money", name: "amount", label: "Price", placeholder: "35.00", trailing: per },
              {
                kind: "select",
                name: "tax_behavior",
                label: "Tax",
                defaultValue: defaultTax,
                options: [
                  { value: "inclusive", label: "Included in the price" },
                  { value: "exclusive", label: "Added on top" },
                ],
              },
            ]}
          />
        </Card>
      ) : null}

      <Card>
        <CardHeader title="Migration runs" description="Each bulk move, newest first. Every subscription moved is also in the audit log." />
        <MigrationRuns fmt={fmt} runs={runs} versions={versions.map((v) => v.price)} />
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card className="min-w-0">
          <CardHeader title="Details" />
          <CardBody className="py-1">
            <DescriptionList
              items={[
                { label: "Code", value: <span className="font-mono text-[13px]">{plan.code}</span> },
                { label: "Product", value: product.name },
                { label: "Billed every", value: intervalLabel(plan.interval, plan.intervalCount) },
                { label: "Trial", value: plan.trialPeriodDays ? `${plan.trialPeriodDays} days` : "None" },
                { label: "Description", value: plan.description ?? "—" },
                { label: "Created", value: fmt.date(plan.createdAt) },
              ]}
            />
          </CardBody>
        </Card>
        {canWrite ? (
          <Card className="min-w-0">
            <CardHeader title="Edit plan" description="The interval cannot change: subscriptions bill on it. Make a new plan instead." />
            <FieldsForm
              action={updatePlanAction}
              hidden={{ planId: plan.id }}
              fields={[
                { kind: "text", name: "name", label: "Name", defaultValue: plan.name, required: true },
                { kind: "number", name: "trial_period_days", label: "Trial days", defaultValue: String(plan.trialPeriodDays), hint: "For new subscriptions." },
                {
                  kind: "select",
                  name: "active",
                  label: "Status",
                  defaultValue: String(plan.active),
                  options: [
                    { value: "true", label: "Active: new subscribers can choose it" },
                    { value: "false", label: "Inactive: existing subscriptions continue" },
                  ],
                  wide: true,
                },
                { kind: "textarea", name: "description", label: "Description", defaultValue: plan.description ?? "", wide: true },
              ]}
            />
          </Card>
        ) : null}
      </div>
    </div>
  );
}
