import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { ConfirmAction } from "@/components/admin/ConfirmAction";
import { ReplayRangeForm, RotateSecretButton } from "@/components/admin/developers/WebhookEndpointForms";
import { Alert, Badge, Card, CardBody, CardHeader, DescriptionList, EmptyState, PageHeader, Stat, StatGrid, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { deliveryCounts, disablingAttempt, listDeliveryAttempts } from "@/lib/services/webhooks/deliveries";
import { getWebhookEndpoint, SECRET_OVERLAP_MS } from "@/lib/services/webhooks/endpoints";
import { replayEventsAction, resendEventAction, rotateWebhookSecretAction, setWebhookEndpointEnabledAction } from "../actions";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Webhook endpoint · Tally Admin" };
export const dynamic = "force-dynamic";

const outcomeTone = { succeeded: "success", failed: "danger", disabled: "warning" } as const;
const outcomeLabel = { succeeded: "Delivered", failed: "Failed", disabled: "410 Gone: disabled" } as const;
const utcLocal = (d: Date) => d.toISOString().slice(0, 16);

export default async function WebhookEndpointPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser("api_keys.manage");
  const fmt = await consoleFormatter();
  const { id } = await params;
  const db = await getDb();
  const endpoint = await getWebhookEndpoint(db, id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const [attempts, counts, gone] = await Promise.all([listDeliveryAttempts(db, id), deliveryCounts(db, id), endpoint.status === "disabled" ? disablingAttempt(db, id) : null]);
  const now = new Date();
  const overlapUntil = endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now ? endpoint.previousSecretExpiresAt : null;
  const enabled = endpoint.status === "enabled";
  return (
    <div className="space-y-6">
      <PageHeader
        back={{ href: "/admin/developers/webhooks", label: "Webhook endpoints" }}
        title={endpoint.description || "Webhook endpoint"}
        description={<span className="font-mono break-all">{endpoint.url}</span>}
        meta={
          <div className="flex flex-wrap gap-2">
            {enabled ? <Badge tone="success">Enabled</Badge> : <Badge tone="warning">Disabled</Badge>}
            {endpoint.livemode === "live" ? <Badge tone="warning">Live</Badge> : <Badge>Test</Badge>}
          </div>
        }
      />
      {!enabled && (
        <Alert tone="warning" title="This endpoint is disabled">
          {gone
            ? `It answered 410 Gone on ${fmt.dateTime(gone.attemptedAt)} (event ${gone.eventId}), so Tally disabled it. `
            : `Disabled on ${fmt.dateTime(endpoint.disabledAt)}. `}
          Deliveries wait, pending, until you enable it again.
        </Alert>
      )}
      <StatGrid>
        <Stat label="Delivered" value={fmt.count(counts.succeeded)} />
        <Stat label="Waiting or retrying" value={fmt.count(counts.pending)} />
        <Stat label="Failed after every retry" value={fmt.count(counts.failed)} />
      </StatGrid>
      <Card>
        <CardHeader title="Endpoint" />
        <CardBody>
          <DescriptionList
            items={[
              { label: "Id", value: <span className="font-mono text-xs">{endpoint.id}</span> },
              { label: "Events", value: endpoint.enabledEvents.includes("*") ? "All events" : endpoint.enabledEvents.join(", ") },
              { label: "Added", value: fmt.dateTime(endpoint.createdAt) },
              {
                label: "Signing secret",
                value: (
                  <div className="space-y-2">
                    <p className="text-[13px] text-slate-600">
                      Shown only when the endpoint is added or its secret rotated.
                      {overlapUntil && ` The previous secret also signs deliveries until ${fmt.dateTime(overlapUntil)}.`}
                    </p>
                    <RotateSecretButton action={rotateWebhookSecretAction} endpointId={endpoint.id} overlapHours={SECRET_OVERLAP_MS / 3_600_000} />
                  </div>
                ),
              },
              {
                label: "Status",
                value: (
                  <ConfirmAction
                    action={setWebhookEndpointEnabledAction}
                    fields={{ id: endpoint.id, enabled: enabled ? "false" : "true" }}
                    triggerLabel={enabled ? "Disable" : "Enable"}
                    title={enabled ? "Disable this endpoint?" : "Enable this endpoint?"}
                    body={enabled ? "Tally stops sending events to it until you enable it again; they wait, pending." : "Tally sends it new events and the deliveries waiting for it."}
                    confirmLabel={enabled ? "Disable" : "Enable"}
                  />
                ),
              },
            ]}
          />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Replay a time range" description="Send every event of the range this endpoint listens to again, each with its original webhook-id." />
        <CardBody>
          <ReplayRangeForm action={replayEventsAction} endpointId={endpoint.id} url={endpoint.url} defaultFrom={utcLocal(new Date(now.getTime() - 3_600_000))} defaultTo={utcLocal(new Date(now.getTime() + 60_000))} />
        </CardBody>
      </Card>
      <section aria-labelledby="delivery-log" className="space-y-3">
        <h2 id="delivery-log" className="text-base font-semibold text-slate-900">
          Delivery log
        </h2>
        {attempts.length === 0 ? (
          <EmptyState title="No deliveries yet" description="Attempts appear here as Tally sends events to this endpoint." />
        ) : (
          <Table caption="Delivery attempts, newest first" wrapperClassName="relative">
            <THead>
              <TR>
                <TH>Sent</TH>
                <TH>Event</TH>
                <TH>Result</TH>
                <TH>Request and response</TH>
                <TH align="right">
                  <span className="sr-only">Actions</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {attempts.map((a) => (
                <TR key={a.id}>
                  <TD className="align-top text-[13px]">
                    <div>{fmt.dateTime(a.attemptedAt)}</div>
                    <div className="text-xs text-slate-500">
                      Attempt {a.attempt}
                      {a.trigger !== "automatic" && ` · ${a.trigger}`}
                    </div>
                  </TD>
                  <TD wrap className="min-w-[11rem] align-top">
                    <div className="text-[13px] font-medium text-slate-900">{a.eventType}</div>
                    <div className="font-mono text-xs break-all text-slate-500">{a.eventId}</div>
                  </TD>
                  <TD className="align-top">
                    <div className="flex flex-col items-start gap-1">
                      <Badge tone={outcomeTone[a.outcome]}>{outcomeLabel[a.outcome]}</Badge>
                      <span className="text-xs text-slate-500">
                        {a.statusCode ? `HTTP ${a.statusCode}` : "No answer"} · {fmt.count(a.durationMs)} ms
                      </span>
                      {a.error && <span className="max-w-[14rem] text-xs break-words text-danger-700">{a.error}</span>}
                    </div>
                  </TD>
                  <TD wrap className="min-w-[12rem] align-top">
                    <details>
                      <summary className="cursor-pointer rounded-sm text-[13px] font-medium text-brand-700">Show</summary>
                      <div className="mt-1 space-y-1">
                        <pre className="max-h-48 max-w-[28rem] overflow-auto rounded bg-slate-50 p-2 font-mono text-[11px] break-all whitespace-pre-wrap text-slate-700">{a.requestExcerpt}</pre>
                        <pre className="max-h-32 max-w-[28rem] overflow-auto rounded bg-slate-50 p-2 font-mono text-[11px] break-all whitespace-pre-wrap text-slate-700">{a.responseExcerpt ?? "(no response)"}</pre>
                      </div>
                    </details>
                  </TD>
                  <TD align="right" className="align-top">
                    <ConfirmAction
                      action={resendEventAction}
                      fields={{ endpoint: endpoint.id, event: a.eventId }}
                      triggerLabel="Resend"
                      title="Send this event again?"
                      body={`Tally sends ${a.eventId} to ${endpoint.url} again now, with the same webhook-id, and retries it if it fails.`}
                      confirmLabel="Resend"
                    />
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </section>
    </div>
  );
}
