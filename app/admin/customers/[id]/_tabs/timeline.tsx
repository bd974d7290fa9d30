import Link from "next/link";
import { getDb } from "@/db/client";
import { customerTimeline, timelineKinds, type TimelineKind } from "@/db/queries/customer-timeline";
import { Badge, cn, EmptyState, type BadgeTone } from "@/components/ui";
import { viewerZone } from "@/lib/auth/viewer-zone";
import { formatDateTime } from "@/lib/format";
import { customerHref, type TabProps } from "./context";

const kindLabels: Record<TimelineKind, string> = { billing: "Billing", payments: "Payments", emails: "Emails", webhooks: "Webhooks", staff: "Staff" };
const kindTones: Record<TimelineKind, BadgeTone> = { billing: "info", payments: "success", emails: "neutral", webhooks: "neutral", staff: "warning" };

export async function TimelineTab({ customer, params }: TabProps) {
  const selected = (params.kinds ?? "").split(",").filter((k): k is TimelineKind => (timelineKinds as readonly string[]).includes(k));
  const page = await customerTimeline(await getDb(), { customerId: customer.id, kinds: selected, after: params.after ?? null, limit: 30 });
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
            <li key={e.key} className="grid gap-x-4 gap-y-1 px-4 py-3 sm:grid-cols-[11rem_1fr] sm:px-5">
              <div className="text-[13px] text-slate-600 tabular-nums">
                <time dateTime={e.at.toISOString()}>{formatDateTime(e.at, timeZone, { zoneName: true })}</time>
              </div>
              <div className="min-w-0 space-y-1">
                <div className="flex flex-wrap items-center gap-2">
                  <Badge tone={kindTones[e.kind]}>{kindLabels[e.kind]}</Badge>
                  <span className="text-sm text-slate-900">{e.summary}</span>
                </div>
                <div className="text-xs text-slate-600">
                  {e.actor} · <span className="font-mono">{e.action}</span>
                </div>
                {e.before != null || e.after != null ? (
                  <details className="group text-xs">
                    <summary className="inline-flex cursor-pointer items-center gap-1 rounded-sm font-medium text-brand-700 select-none hover:underline">{e.source === "audit" ? "Before / after" : "Details"}</summary>
                    <div className="mt-2 grid gap-2 md:grid-cols-2">
                      {e.before != null ? <JsonBlock label="Before" value={e.before} /> : null}
                      {e.after != null ? <JsonBlock label={e.source === "audit" ? "After" : "Payload"} value={e.after} /> : null}
                    </div>
                  </details>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      )}
      <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
        {params.after ? (
          <Link href={href(selected)} className="font-medium text-brand-700 hover:underline">
            ← Newest
          </Link>
        ) : (
          <span className="text-slate-600">Times are in {timeZone === "UTC" ? "UTC" : `your time zone (${timeZone})`}.</span>
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
