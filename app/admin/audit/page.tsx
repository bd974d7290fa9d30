import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { auditEntityTypes, listAuditEntries, type AuditFilters } from "@/db/queries/audit";
import { Badge, Button, ButtonLink, EmptyState, Input, PageHeader, Select, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { diffAudit, showValue } from "@/lib/audit/diff";
import { requirePageUser } from "@/lib/auth/session";
import { viewerZone } from "@/lib/auth/viewer-zone";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Audit log · Tally Admin" };
export const dynamic = "force-dynamic";

type Search = { actor?: string; type?: string; entity?: string; action?: string; from?: string; to?: string; before?: string };

function parseDay(value: string | undefined, endOfDay: boolean): Date | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T${endOfDay ? "23:59:59.999" : "00:00:00.000"}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * The entry's business time is worth showing beside when it was recorded: a customer on a test clock
 * (the clock's time), or a change dated other than when it was written. A request's own clock and the
 * database's differ by milliseconds; a minute apart is a different time.
 */
function clockTimeDiffers(entry: { at: Date; recordedAt: Date }): boolean {
  return Math.abs(entry.at.getTime() - entry.recordedAt.getTime()) >= 60_000;
}

/** Where an entry's entity lives in the console, when it has a page. */
function entityHref(type: string, id: string): string | null {
  if (type === "customer") return `/admin/customers/${id}`;
  if (type === "email") return `/admin/emails/${id}`;
  return null;
}

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageUser("audit.read");
  const fmt = await consoleFormatter();
  const search = await searchParams;
  const filters: AuditFilters = {
    actor: search.actor?.trim() || undefined,
    entityType: search.type || undefined,
    entity: search.entity?.trim() || undefined,
    action: search.action?.trim() || undefined,
    from: parseDay(search.from, false),
    to: parseDay(search.to, true),
    before: search.before && /^\d+$/.test(search.before) ? Number(search.before) : undefined,
  };
  const db = await getDb();
  const [{ rows, nextBefore }, types, { timeZone }] = await Promise.all([listAuditEntries(db, filters, fmt), auditEntityTypes(db), viewerZone()]);
  const filtered = Boolean(filters.actor || filters.entityType || filters.entity || filters.action || filters.from || filters.to);
  const keep = new URLSearchParams(Object.entries({ ...search, before: undefined }).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));
  const nextHref = nextBefore ? `/admin/audit?${new URLSearchParams([...keep, ["before", String(nextBefore)]])}` : null;
  return (
    <div className="space-y-6">
      <PageHeader title="Audit log" description={`Every change to billing data, who made it and what changed, newest first by when it was recorded. Entries cannot be edited or deleted. Times are in ${timeZone === "UTC" ? "UTC" : `your time zone (${timeZone})`}.`} />
      <form className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-card sm:grid-cols-2 lg:grid-cols-6" role="search" aria-label="Filter the audit log">
        <Input label="Who" name="actor" defaultValue={search.actor ?? ""} placeholder="Email, key name, id" />
        <Select label="Entity type" name="type" defaultValue={search.type ?? ""} placeholder="Any" options={types.map((t) => ({ value: t, label: t }))} />
        <Input label="Entity id" name="entity" defaultValue={search.entity ?? ""} placeholder="cus_…, in_…" />
        <Input label="Action" name="action" defaultValue={search.action ?? ""} placeholder="e.g. invoice." hint="Starts with" />
        <Input label="From" name="from" type="date" defaultValue={search.from ?? ""} />
        <Input label="To" name="to" type="date" defaultValue={search.to ?? ""} />
        <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-6">
          <Button type="submit" variant="secondary">
            Apply filters
          </Button>
          {filtered && (
            <ButtonLink href="/admin/audit" variant="ghost">
              Clear
            </ButtonLink>
          )}
        </div>
      </form>
      {rows.length === 0 ? (
        <EmptyState
          title={filtered ? "No entries match these filters" : "No audit entries yet"}
          description={filtered ? "Try a wider date range or clear a filter." : "Changes made by staff, the API and Tally's jobs are recorded here."}
        />
      ) : (
        // Fixed columns need room: on a narrow screen the table scrolls in its box rather than squeezing "What" to nothing.
        <Table caption="Audit entries, newest first" className="min-w-[56rem] table-fixed">
          <THead>
            <TR>
              <TH className="w-[8.5rem]">When</TH>
              <TH className="w-[13rem]">Who</TH>
              <TH>What</TH>
              <TH className="w-[11rem]">Record</TH>
              <TH className="w-[13rem]">Changes</TH>
            </TR>
          </THead>
          <TBody>
            {rows.map((entry) => {
              const changes = diffAudit(entry.before, entry.after);
              const href = entityHref(entry.entityType, entry.entityId);
              return (
                <TR key={entry.id}>
                  <TD muted wrap className="align-top tabular-nums">
                    <time dateTime={entry.recordedAt.toISOString()}>{fmt.dateTime(entry.recordedAt, timeZone, { zoneName: true })}</time>
                    {clockTimeDiffers(entry) ? (
                      <div className="mt-1 text-xs text-slate-500">
                        {entry.testClock ? "Test clock" : "Dated"}: <time dateTime={entry.at.toISOString()}>{fmt.dateTime(entry.at, timeZone, { zoneName: true })}</time>
                      </div>
                    ) : null}
                  </TD>
                  <TD wrap className="align-top break-words">
                    <div className="text-slate-900">{entry.actor}</div>
                    {entry.actorType === "user" || entry.actorType === "api_key" ? null : (
                      <div className="mt-1">
                        <Badge tone="neutral">{entry.actorType === "webhook" ? "From Stripe" : "Automatic"}</Badge>
                      </div>
                    )}
                  </TD>
                  <TD wrap className="align-top break-words">
                    <div className="font-medium text-slate-900" title={entry.action}>
                      {entry.summary}
                    </div>
                  </TD>
                  <TD wrap className="align-top">
                    <div className="text-xs text-slate-500">{entry.entityType.replaceAll("_", " ")}</div>
                    {href ? (
                      <Link href={href} className="font-mono text-xs break-all text-brand-700 hover:underline">
                        {entry.entityId}
                      </Link>
                    ) : (
                      <span className="font-mono text-xs break-all">{entry.entityId}</span>
                    )}
                  </TD>
                  <TD wrap className="align-top break-words">
                    {changes.length === 0 ? (
                      <span className="text-slate-500">No field changes</span>
                    ) : (
                      <details>
                        <summary className="cursor-pointer rounded-sm text-[13px] font-medium text-brand-700">
                          {changes.length} {changes.length === 1 ? "field" : "fields"}: {changes.slice(0, 3).map((c) => c.key).join(", ")}
                          {changes.length > 3 ? "…" : ""}
                        </summary>
                        <dl className="mt-2 space-y-1.5 text-xs">
                          {changes.map((c) => (
                            <div key={c.key}>
                              <dt className="font-medium text-slate-700">{c.key}</dt>
                              <dd className="font-mono break-all text-slate-600">
                                <span className="text-red-700 line-through decoration-red-300">{showValue(c.before).slice(0, 300)}</span>
                                {" → "}
                                <span className="text-emerald-800">{showValue(c.after).slice(0, 300)}</span>
                              </dd>
                            </div>
                          ))}
                        </dl>
                      </details>
                    )}
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
      {(nextHref || filters.before) && (
        <nav aria-label="Audit log pages" className="flex justify-between">
          {filters.before ? (
            <ButtonLink href={`/admin/audit?${keep}`} variant="secondary">
              Newest entries
            </ButtonLink>
          ) : (
            <span />
          )}
          {nextHref && (
            <ButtonLink href={nextHref} variant="secondary">
              Older entries
            </ButtonLink>
          )}
        </nav>
      )}
    </div>
  );
}
