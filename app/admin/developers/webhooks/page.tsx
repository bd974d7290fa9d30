import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { ConfirmAction } from "@/components/admin/ConfirmAction";
import { CreateWebhookEndpointForm } from "@/components/admin/developers/WebhookEndpointForms";
import { Badge, Card, CardBody, CardHeader, EmptyState, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { webhookEventTypes } from "@/lib/events/catalog/events";
import { listWebhookEndpoints } from "@/lib/services/webhooks/endpoints";
import { createWebhookEndpointAction, deleteWebhookEndpointAction, setWebhookEndpointEnabledAction } from "./actions";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Webhook endpoints · Tally Admin" };
export const dynamic = "force-dynamic";

export default async function WebhookEndpointsPage() {
  await requirePageUser("api_keys.manage");
  const fmt = await consoleFormatter();
  const endpoints = await listWebhookEndpoints(await getDb());
  return (
    <div className="space-y-6">
      <PageHeader
        title="Webhook endpoints"
        description="Where Tally posts its billing events for your product, signed with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: HMAC-SHA256 with the endpoint's secret). Open an endpoint for its delivery log, resends, replays and secret rotation."
      />
      <Card>
        <CardHeader title="Add an endpoint" />
        <CardBody>
          <CreateWebhookEndpointForm action={createWebhookEndpointAction} eventsHint={`* for every event, or a comma-separated list: ${webhookEventTypes.slice(0, 4).join(", ")}, …`} />
        </CardBody>
      </Card>
      {endpoints.length === 0 ? (
        <EmptyState title="No webhook endpoints" description="Add one to have Tally tell your product when invoices are paid, subscriptions change and customers fall into dunning." />
      ) : (
        <Table caption="Webhook endpoints">
          <THead>
            <TR>
              <TH>Endpoint</TH>
              <TH>Events</TH>
              <TH>Status</TH>
              <TH align="right">
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {endpoints.map((e) => (
              <TR key={e.id}>
                <TD wrap className="min-w-[14rem] align-top">
                  <Link href={`/admin/developers/webhooks/${e.id}`} className="font-mono text-xs break-all text-brand-700 hover:underline">
                    {e.url}
                  </Link>
                  {e.description && <div className="text-xs text-slate-500">{e.description}</div>}
                  <div className="text-xs text-slate-500">Added {fmt.dateTime(e.createdAt)}</div>
                </TD>
                <TD wrap className="min-w-[10rem] align-top text-[13px]">
                  {e.enabledEvents.includes("*") ? "All events" : e.enabledEvents.join(", ")}
                </TD>
                <TD className="align-top">
                  <div className="flex flex-col items-start gap-1">
                    {e.status === "enabled" ? <Badge tone="success">Enabled</Badge> : <Badge>Disabled</Badge>}
                    {e.livemode === "live" ? <Badge tone="warning">Live</Badge> : <Badge>Test</Badge>}
                  </div>
                </TD>
                <TD align="right" className="align-top">
                  <div className="flex flex-wrap justify-end gap-2">
                    <ConfirmAction
                      action={setWebhookEndpointEnabledAction}
                      fields={{ id: e.id, enabled: e.status === "enabled" ? "false" : "true" }}
                      triggerLabel={e.status === "enabled" ? "Disable" : "Enable"}
                      title={e.status === "enabled" ? "Disable this endpoint?" : "Enable this endpoint?"}
                      body={e.status === "enabled" ? "Tally stops sending events to it until you enable it again." : "Tally sends new events to it from now on."}
                      confirmLabel={e.status === "enabled" ? "Disable" : "Enable"}
                    />
                    <ConfirmAction
                      action={deleteWebhookEndpointAction}
                      fields={{ id: e.id }}
                      triggerLabel="Delete"
                      title="Delete this endpoint?"
                      body={`Tally stops sending events to ${e.url}. This cannot be undone.`}
                      confirmLabel="Delete endpoint"
                      tone="danger"
                    />
                  </div>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
