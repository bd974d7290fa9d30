import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listStripeEvents } from "@/db/queries/work-queues";
import { Badge, Button, ButtonLink, EmptyState, Input, PageHeader, Select, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Stripe events · Tally Admin" };
export const dynamic = "force-dynamic";

type Search = { status?: string; type?: string; before?: string };

function parseCursor(value: string | undefined): { at: Date; id: string } | undefined {
  const match = /^(\d+)_(evt_[A-Za-z0-9_]+)$/.exec(value ?? "");
  return match ? { at: new Date(Number(match[1])), id: match[2]! } : undefined;
}

export default async function StripeEventsPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageUser("stripe_events.read");
  const fmt = await consoleFormatter();
  const search = await searchParams;
  const status = ["processed", "pending", "failed"].includes(search.status ?? "") ? search.status : undefined;
  const type = search.type?.trim() || undefined;
  const { rows, next } = await listStripeEvents(await getDb(), { status, type, before: parseCursor(search.before) });
  const keep = new URLSearchParams(Object.entries({ status, type }).filter((e): e is [string, string] => typeof e[1] === "string"));
  return (
    <div className="space-y-6">
      <PageHeader
        title="Stripe events"
        description="Every webhook Stripe delivered, verified and recorded once by event id, and whether Tally processed it. Times are UTC."
      />
      <form role="search" aria-label="Filter events" className="flex flex-wrap items-end gap-3">
        <Select
          label="Status"
          name="status"
          defaultValue={status ?? ""}
          placeholder="Any"
          options={[
            { value: "processed", label: "Processed" },
            { value: "pending", label: "Waiting" },
            { value: "failed", label: "Failed" },
          ]}
          wrapperClassName="w-40"
        />
        <Input label="Type" name="type" defaultValue={type ?? ""} placeholder="payment_intent.succeeded" wrapperClassName="w-72" />
        <Button type="submit" variant="secondary">
          Apply
        </Button>
        {(status || type) && (
          <ButtonLink href="/admin/developers/stripe-events" variant="ghost">
            Clear
          </ButtonLink>
        )}
      </form>
      {rows.length === 0 ? (
        <EmptyState title="No events" description={status || type ? "No events match these filters." : "Events appear here when Stripe posts to /api/webhooks/stripe."} />
      ) : (
        <Table caption="Stripe events, newest first">
          <THead>
            <TR>
              <TH>Received</TH>
              <TH>Event</TH>
              <TH>Status</TH>
              <TH numeric>Attempts</TH>
              <TH>Payload</TH>
            </TR>
          </THead>
          <TBody>
            {rows.map((e) => (
              <TR key={e.id}>
                <TD muted wrap className="min-w-[7.5rem] align-top">
                  {fmt.dateTime(e.receivedAt)}
                </TD>
                <TD className="align-top">
                  <div className="font-medium text-slate-900">{e.type}</div>
                  <div className="font-mono text-xs text-slate-500">{e.id}</div>
                  {e.livemode && <Badge tone="warning">Live</Badge>}
                </TD>
                <TD className="align-top">
                  {e.processedAt ? (
                    <Badge tone="success">Processed</Badge>
                  ) : e.error ? (
                    <Badge tone="danger">Failed</Badge>
                  ) : (
                    <Badge tone="info">Waiting</Badge>
                  )}
                  {e.error && <div className="mt-1 max-w-[18rem] text-xs break-words text-red-700">{e.error}</div>}
                </TD>
                <TD numeric className="align-top">
                  {e.attempts}
                </TD>
                <TD className="min-w-[14rem] align-top">
                  <details>
                    <summary className="cursor-pointer rounded-sm text-[13px] font-medium text-brand-700">Show JSON</summary>
                    <pre className="mt-2 max-h-80 max-w-[32rem] overflow-auto rounded-md bg-slate-900 p-3 text-[11px] leading-relaxed text-slate-100">
                      {JSON.stringify(e.payload, null, 2)}
                    </pre>
                  </details>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {next && (
        <div className="flex justify-end">
          <ButtonLink href={`/admin/developers/stripe-events?${new URLSearchParams([...keep, ["before", `${next.at.getTime()}_${next.id}`]])}`} variant="secondary">
            Older events
          </ButtonLink>
        </div>
      )}
    </div>
  );
}
