import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { ConfirmAction } from "@/components/admin/ConfirmAction";
import { FieldsForm } from "@/components/admin/FieldsForm";
import { Badge, Card, CardHeader, EmptyState, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { webhookEventTypes } from "@/lib/events/catalog/events";
import { listWebhookEndpoints } from "@/lib/services/webhooks/endpoints";
import { createWebhookEndpointAction, deleteWebhookEndpointAction, rollWebhookSecretAction, setWebhookEndpointEnabledAction } from "./actions";

export const metadata: Metadata = { title: "Webhook endpoints · Tally Admin" };
export const dynamic = "force-dynamic";

export default async function WebhookEndpointsPage() {
  await requirePageUser("api_keys.manage");
  const endpoints = await listWebhookEndpoints(await getDb());
  return (
    <div className="space-y-6">
      <PageHeader
        title="Webhook endpoints"
        description="Where Tally posts its billing events for your product, signed with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: HMAC-SHA256 with the endpoint's secret)."
      />
      <Card>
        <CardHeader title="Add an endpoint" />
        <FieldsForm
          action={createWebhookEndpointAction}
          submitLabel="Add endpoint"
          fields={[
            { kind: "url", name: "url", label: "Endpoint URL", defaultValue: "", placeholder: "https://api.example.com/webhooks/tally", required: true, wide: true },
            { kind: "text", name: "description", label: "Description", defaultValue: "" },
            {
              kind: "select",
              name: "mode",
              label: "Mode",
              defaultValue: "test",
              options: [
                { value: "test", label: "Test events" },
                { value: "live", label: "Live events (https only)" },
              ],
            },
            {
              kind: "text",
              name: "events",
              label: "Events",
              defaultValue: "*",
              hint: `* for every event, or a comma-separated list: ${webhookEventTypes.slice(0, 4).join(", ")}, …`,
              wide: true,
            },
          ]}
        />
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
              <TH>Signing secret</TH>
              <TH align="right">
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {endpoints.map((e) => (
              <TR key={e.id}>
                <TD wrap className="min-w-[14rem] align-top">
                  <div className="font-mono text-xs break-all text-slate-900">{e.url}</div>
                  {e.description && <div className="text-xs text-slate-500">{e.description}</div>}
                  <div className="text-xs text-slate-500">Added {formatDateTime(e.createdAt)}</div>
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
                <TD className="align-top">
                  <details>
                    <summary className="cursor-pointer rounded-sm text-[13px] font-medium text-brand-700">Reveal</summary>
                    <code className="mt-1 block max-w-[16rem] font-mono text-[11px] break-all text-slate-700">{e.secret}</code>
                  </details>
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
                      action={rollWebhookSecretAction}
                      fields={{ id: e.id }}
                      triggerLabel="Roll secret"
                      title="Roll the signing secret?"
                      body="The current secret stops working at once. Update your endpoint with the new secret straight after."
                      confirmLabel="Roll secret"
                      tone="danger"
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
