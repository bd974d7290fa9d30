import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { findPlans, listActivePlansWithPrices } from "@/db/queries/catalog";
import { outcomeCounts, recentOfferChanges } from "@/db/queries/retention";
import { cancellationReasons, retentionOutcomes, type CancellationReason, type RetentionOfferTerms, type RetentionOutcome } from "@/lib/billing/retention/vocabulary";
import { Badge, Card, CardBody, CardHeader, FlashToast, PageHeader, Table, TBody, TD, TEmpty, TH, THead, TR } from "@/components/ui";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { offerKindLabels, reasonLabels } from "@/lib/billing/retention/offer-policy";
import { offerConfigs } from "@/lib/services/retention/offers";
import { saveRetentionOfferAction } from "./actions";
import { OfferEditForm } from "./OfferEditForm";
import { DAY_MS } from "@/lib/time";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Retention offers · Tally Admin" };

const SUMMARY_DAYS = 90;

const outcomeLabels: Record<RetentionOutcome, string> = {
  accepted_discount: "Discount",
  paused: "Paused",
  switched_plan: "Cheaper plan",
  contacted_support: "Support",
  canceled: "Canceled",
  abandoned: "Abandoned",
};

export default async function RetentionOffersPage({ searchParams }: { searchParams: Promise<{ edit?: string; notice?: string }> }) {
  const user = await requirePageUser("catalog.read");
  const fmt = await consoleFormatter();
  const canWrite = can(user.role, "catalog.write");
  const { edit, notice } = await searchParams;
  const db = await getDb();
  const now = new Date();
  const [configs, catalog, counts, changes] = await Promise.all([
    offerConfigs(db),
    listActivePlansWithPrices(db),
    outcomeCounts(db, new Date(now.getTime() - SUMMARY_DAYS * DAY_MS), now),
    recentOfferChanges(db),
  ]);
  const configuredPlanIds = configs.flatMap((c) => (c.offer.kind === "cheaper_plan" && c.offer.planId ? [c.offer.planId] : []));
  const planNames = new Map((await findPlans(db, configuredPlanIds)).map((p) => [p.id, p.name]));
  for (const { plan } of catalog) planNames.set(plan.id, plan.name);
  const editing = canWrite && cancellationReasons.includes(edit as CancellationReason) ? configs.find((c) => c.reason === edit) : undefined;

  return (
    <div className="space-y-6">
      {notice ? <FlashToast message={notice} tone="success" /> : null}
      <PageHeader
        title="Retention offers"
        description="What the customer portal's cancel flow offers for each reason a subscriber gives. Reasons nobody has changed use the defaults. A discount is offered to the same subscription at most once in 12 months."
      />

      {editing ? (
        <Card id="edit">
          <CardHeader title={`Edit offer: ${reasonLabels[editing.reason]}`} description={editing.isDefault ? "Currently using the default." : undefined} />
          <CardBody>
            <OfferEditForm
              action={saveRetentionOfferAction}
              reason={editing.reason}
              offer={editing.offer}
              enabled={editing.enabled}
              plans={catalog.map(({ plan }) => ({ id: plan.id, name: plan.name }))}
              kinds={(Object.keys(offerKindLabels) as (keyof typeof offerKindLabels)[]).map((k) => ({ value: k, label: offerKindLabels[k] }))}
            />
          </CardBody>
        </Card>
      ) : null}

      <Card>
        <CardHeader title="Offers by reason" />
        {/* Phones get a list: a five-column table would show only the reasons. */}
        <ul className="divide-y divide-slate-100 sm:hidden">
          {configs.map((config) => (
            <li key={config.reason} className={editing?.reason === config.reason ? "bg-brand-50 px-5 py-3" : "px-5 py-3"}>
              <div className="flex items-start justify-between gap-3">
                <p className="text-sm font-medium text-slate-900">{reasonLabels[config.reason]}</p>
                <StatusOf config={config} />
              </div>
              <p className="mt-1 text-sm text-slate-700">{describeOffer(config.offer, planNames)}</p>
              <div className="mt-1 flex items-center justify-between gap-3 text-[13px] text-slate-600">
                <span>Changed: {config.updatedAt ? fmt.dateTime(config.updatedAt) : "never"}</span>
                {canWrite ? (
                  <Link href={`/admin/retention-offers?edit=${config.reason}#edit`} aria-label={`Edit offer for “${reasonLabels[config.reason]}”`} className="inline-flex min-h-8 items-center rounded-sm font-medium text-brand-700 hover:underline">
                    Edit
                  </Link>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
        <CardBody className="hidden p-0 sm:block">
          <Table bare caption="Retention offer for each cancellation reason">
            <THead>
              <TR>
                <TH>Reason</TH>
                <TH>Offer</TH>
                <TH>Status</TH>
                <TH>Last changed</TH>
                {canWrite ? (
                  // relative: the screen-reader-only text is positioned, and must stay inside the table's scroll box at 375 px.
                  <TH align="right" className="relative">
                    <span className="sr-only">Actions</span>
                  </TH>
                ) : null}
              </TR>
            </THead>
            <TBody>
              {configs.map((config) => (
                <TR key={config.reason} className={editing?.reason === config.reason ? "bg-brand-50" : undefined}>
                  <TD className="font-medium">{reasonLabels[config.reason]}</TD>
                  <TD wrap className="min-w-48">{describeOffer(config.offer, planNames)}</TD>
                  <TD>
                    <StatusOf config={config} />
                  </TD>
                  <TD muted>{config.updatedAt ? fmt.dateTime(config.updatedAt) : "Never"}</TD>
                  {canWrite ? (
                    <TD align="right" className="relative">
                      <Link href={`/admin/retention-offers?edit=${config.reason}#edit`} className="rounded-sm text-sm font-medium text-brand-700 hover:underline">
                        Edit<span className="sr-only"> offer for “{reasonLabels[config.reason]}”</span>
                      </Link>
                    </TD>
                  ) : null}
                </TR>
              ))}
            </TBody>
          </Table>
        </CardBody>
      </Card>

      <Card>
        <CardHeader title={`Outcomes, last ${SUMMARY_DAYS} days`} description="Each pass through the cancel flow, by the reason given and what the subscriber chose. Left open for a day counts as abandoned." />
        <CardBody className="p-0">
          <OutcomeTable counts={counts} />
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Recent changes" description="From the audit log." />
        <CardBody className="p-0">
          <Table bare caption="Recent changes to retention offers">
            <THead>
              <TR>
                <TH>When</TH>
                <TH>Who</TH>
                <TH>Reason</TH>
                <TH>Change</TH>
              </TR>
            </THead>
            <TBody>
              {changes.length === 0 ? (
                <TEmpty colSpan={4}>No changes yet: every reason uses its default.</TEmpty>
              ) : (
                changes.map(({ entry, actorEmail }) => (
                  <TR key={entry.id}>
                    <TD muted>{fmt.dateTime(entry.at)}</TD>
                    <TD>{actorEmail ?? entry.actorId}</TD>
                    <TD>{reasonLabels[entry.entityId as CancellationReason] ?? entry.entityId}</TD>
                    <TD wrap className="min-w-56">{describeChange(entry.before, entry.after, planNames)}</TD>
                  </TR>
                ))
              )}
            </TBody>
          </Table>
        </CardBody>
      </Card>
    </div>
  );
}

function StatusOf({ config }: { config: Awaited<ReturnType<typeof offerConfigs>>[number] }) {
  if (config.offer.kind === "none") return <Badge>No offer</Badge>;
  if (!config.enabled)
    return (
      <Badge tone="warning" dot>
        Off
      </Badge>
    );
  return (
    <Badge tone="success" dot>
      {config.isDefault ? "On (default)" : "On"}
    </Badge>
  );
}

function OutcomeTable({ counts }: { counts: Awaited<ReturnType<typeof outcomeCounts>> }) {
  const cell = (reason: CancellationReason, outcome: RetentionOutcome | null) => counts.find((c) => c.reason === reason && c.outcome === outcome)?.count ?? 0;
  const rows = cancellationReasons.map((reason) => ({ reason, total: counts.filter((c) => c.reason === reason).reduce((sum, c) => sum + c.count, 0) }));
  const total = rows.reduce((sum, r) => sum + r.total, 0);
  return (
    <Table bare caption="Cancel flow outcomes by reason">
      <THead>
        <TR>
          <TH>Reason</TH>
          {retentionOutcomes.map((o) => (
            <TH key={o} numeric>
              {outcomeLabels[o]}
            </TH>
          ))}
          <TH numeric>In progress</TH>
          <TH numeric>Total</TH>
        </TR>
      </THead>
      <TBody>
        {total === 0 ? (
          <TEmpty colSpan={retentionOutcomes.length + 3}>No one has started the cancel flow in the last {SUMMARY_DAYS} days.</TEmpty>
        ) : (
          rows.map(({ reason, total: rowTotal }) => (
            <TR key={reason}>
              <TD wrap className="min-w-36 font-medium">
                {reasonLabels[reason]}
              </TD>
              {retentionOutcomes.map((o) => (
                <TD key={o} numeric muted={cell(reason, o) === 0}>
                  {cell(reason, o)}
                </TD>
              ))}
              <TD numeric muted={cell(reason, null) === 0}>
                {cell(reason, null)}
              </TD>
              <TD numeric className="font-medium">
                {rowTotal}
              </TD>
            </TR>
          ))
        )}
      </TBody>
    </Table>
  );
}

function describeOffer(offer: RetentionOfferTerms, planNames: Map<string, string>): string {
  switch (offer.kind) {
    case "discount":
      return `${offer.percent}% off for ${offer.months} month${offer.months === 1 ? "" : "s"}`;
    case "pause":
      return `Pause for up to ${offer.maxMonths} month${offer.maxMonths === 1 ? "" : "s"}`;
    case "cheaper_plan":
      return offer.planId ? `Switch to ${planNames.get(offer.planId) ?? offer.planId}` : "Switch to the next cheaper plan";
    case "contact_support":
      return `Talk to support: “${offer.message}”${offer.url ? ` (${offer.url})` : ""}`;
    case "none":
      return "No offer: straight to confirmation";
  }
}

function describeChange(before: unknown, after: unknown, planNames: Map<string, string>): string {
  const b = before as { offer?: RetentionOfferTerms; enabled?: boolean } | null;
  const a = after as { offer?: RetentionOfferTerms; enabled?: boolean } | null;
  const text = (x: typeof a) => (x?.offer ? `${describeOffer(x.offer, planNames)}${x.enabled === false ? " (off)" : ""}` : "—");
  return `${text(b)} → ${text(a)}`;
}
