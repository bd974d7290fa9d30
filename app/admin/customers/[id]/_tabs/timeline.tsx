import Link from "next/link";
import { getDb } from "@/db/client";
import { customerTimeline, timelineKinds, type TimelineEntry, type TimelineKind } from "@/db/queries/customer-timeline";
import { Badge, cn, EmptyState, type BadgeTone } from "@/components/ui";
import { viewerZone } from "@/lib/auth/viewer-zone";
import { customerHref, type TabProps } from "./context";
import { consoleFormatter } from "@/lib/auth/console-formatter";

const kindLabels: Record<TimelineKind, string> = { billing: "Billing", payments: "Payments", usage: "Usage", cards: "Cards", emails: "Emails", webhooks: "Webhooks", staff: "Staff" };
const kindTones: Record<TimelineKind, BadgeTone> = { billing: "info", payments: "success", usage: "info", cards: "neutral", emails: "neutral", webhooks: "neutral", staff: "warning" };

export async function TimelineTab({ customer, params }: TabProps) {
  const fmt = await consoleFormatter();
  const selected = (params.kinds ?? "").split(",").filter((k): k is TimelineKind => (timelineKinds as readonly string[]).includes(k));
  const page = await customerTimeline(await getDb(), { customerId: customer.id, kinds: selected, after: params.after ?? null, limit: 30, fmt });
  const { timeZone } = await viewerZone();
  const href = (kinds: TimelineKind[], after?: string) => customerHref(customer.id, { tab: "timeline", kinds: kinds.join(",") || undefined, after });
  const toggle = (kind: TimelineKind) => (selected.includes(kind) ? selected.filter((k) => k !== kind) : [...selected, kind]);
  return (
    <div className="space-y-4">
      <nav aria-label="Filter the timeline" className="flex flex-wrap items-center gap-2">
        <span className="text-[13px] font-medium text-slate-600">Show</span>
        <FilterChip href={href([])} active={selected.length === 0}>
          Everything
        </FilterChip>
        {timelineKinds.map((kind) => (
          <FilterChip key={kind} href={href(toggle(kind))} active={selected.includes(kind)}>
            {kindLabels[kind]}
          </FilterChip>
        ))}
      </nav>
      {page.entries.length === 0 ? (
        <EmptyState title="Nothing here" description={params.after ? "No older entries." : "Nothing of this kind has happened yet."} action={selected.length ? <Link href={href([])} className="text-sm font-medium text-brand-700 hover:underline">Show everything</Link> : undefined} />
      ) : (
        <ol className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-card" aria-label="Timeline, newest first">
          {page.entries.map((e) => (
            <TimelineItem key={e.key} entry={e} viewerZone={timeZone} customerZone={customer.timezone} />
          ))}
        </ol>
      )}
      <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
        {params.after ? (
          <Link href={href(selected)} className="font-medium text-brand-700 hover:underline">
            ← Newest
          </Link>
        ) : (
          <span className="text-slate-600">
            Times are in {timeZone === "UTC" ? "UTC" : `your time zone (${timeZone})`}; point at one for the customer&rsquo;s own ({customer.timezone}).
          </span>
        )}
        {page.nextCursor ? (
          <Link href={href(selected, page.nextCursor)} className="font-medium text-brand-700 hover:underline">
            Older entries →
          </Link>
        ) : null}
      </div>
    </div>
  );
}

/** "Audit + event": one change recorded both ways, shown once. */
function sourcesLabel(e: TimelineEntry): string | null {
  if (e.events.length === 0) return null;
  return `Audit + ${e.events.length === 1 ? "event" : `${e.events.length} events`}`;
}

async function TimelineItem({ entry: e, viewerZone, customerZone }: { entry: TimelineEntry; viewerZone: string; customerZone: string }) {
  const fmt = await consoleFormatter();
  const customerTime = `Customer's time: ${fmt.dateTime(e.at, customerZone, { zoneName: true })}`;
  const sources = sourcesLabel(e);
  const hasData = e.before != null || e.after != null || e.events.length > 0;
  return (
    <li className="grid gap-x-4 gap-y-1 px-4 py-3 sm:grid-cols-[11rem_1fr] sm:px-5">
      <div className="text-[13px] text-slate-600 tabular-nums">
        <time dateTime={e.at.toISOString()} title={customerTime}>
          {fmt.dateTime(e.at, viewerZone, { zoneName: true })}
        </time>
      </div>
      <div className="min-w-0 space-y-1">
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone={kindTones[e.kind]}>{kindLabels[e.kind]}</Badge>
          {e.byStaff && e.kind !== "staff" ? <Badge tone={kindTones.staff}>Staff</Badge> : null}
          <span className="text-sm break-words text-slate-900" title={e.action}>
            {e.summary}
          </span>
        </div>
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600">
          <span>{e.actor}</span>
          {sources ? <Badge className="px-1.5 py-0 text-[11px]">{sources}</Badge> : null}
        </div>
        {hasData ? (
          <details className="group text-xs">
            <summary className="inline-flex cursor-pointer items-center gap-1 rounded-sm font-medium text-brand-700 select-none hover:underline">Details</summary>
            <div className="mt-2 space-y-2">
              <dl className="grid gap-x-3 gap-y-1 text-slate-700 sm:grid-cols-[auto_1fr]">
                {e.source === "audit" ? (
                  <>
                    <dt className="font-medium text-slate-600">Audit entry</dt>
                    <dd className="min-w-0 break-words">
                      <span className="font-mono">#{e.key.slice("audit:".length)}</span> · <span className="font-mono">{e.action}</span> · by {e.actor}
                      {/* On a test clock some entries carry real time while their event carries the clock's. */}
                      {e.auditAt && e.auditAt.getTime() !== e.at.getTime() ? ` · dated ${fmt.dateTime(e.auditAt, viewerZone, { zoneName: true })}` : null}
                    </dd>
                  </>
                ) : null}
                {e.source === "event" ? (
                  <>
                    <dt className="font-medium text-slate-600">Event</dt>
                    <dd className="min-w-0 break-words">
                      <span className="font-mono break-all">{e.key.slice("event:".length)}</span> · <span className="font-mono">{e.action}</span>
                    </dd>
                  </>
                ) : null}
                {e.events.map((ev) => (
                  <EventLine key={ev.id} id={ev.id} type={ev.type} at={ev.at} entryAt={e.at} viewerZone={viewerZone} />
                ))}
                <dt className="font-medium text-slate-600">Customer&rsquo;s time</dt>
                <dd>{fmt.dateTime(e.at, customerZone, { zoneName: true })}</dd>
              </dl>
              <div className="grid gap-2 md:grid-cols-2">
                {e.before != null ? <JsonBlock label="Before" value={e.before} /> : null}
                {e.after != null ? <JsonBlock label={e.source === "audit" ? "After" : "Payload"} value={e.after} /> : null}
                {e.events.map((ev) => (
                  <JsonBlock key={ev.id} label={`Event payload (${ev.type})`} value={ev.payload} />
                ))}
              </div>
            </div>
          </details>
        ) : null}
      </div>
    </li>
  );
}

async function EventLine({ id, type, at, entryAt, viewerZone }: { id: string; type: string; at: Date; entryAt: Date; viewerZone: string }) {
  const fmt = await consoleFormatter();
  return (
    <>
      <dt className="font-medium text-slate-600">Event</dt>
      <dd className="min-w-0 break-words">
        <span className="font-mono break-all">{id}</span> · <span className="font-mono">{type}</span>
        {at.getTime() !== entryAt.getTime() ? ` · dated ${fmt.dateTime(at, viewerZone, { zoneName: true })}` : null}
      </dd>
    </>
  );
}

function FilterChip({ href, active, children }: { href: string; active: boolean; children: string }) {
  return (
    <Link
      href={href}
      aria-current={active ? "true" : undefined}
      className={cn(
        "inline-flex h-8 items-center rounded-full border px-3 text-[13px] font-medium transition-colors",
        active ? "border-brand-600 bg-brand-50 text-brand-700" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50",
      )}
    >
      {children}
    </Link>
  );
}

function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <div className="min-w-0">
      <div className="mb-1 font-medium text-slate-600">{label}</div>
      <pre className="max-h-72 overflow-auto rounded-md bg-slate-900 p-2.5 text-[11px] leading-relaxed text-slate-100">{JSON.stringify(value, null, 2)}</pre>
    </div>
  );
}
