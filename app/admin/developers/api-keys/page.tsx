import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { ConfirmAction } from "@/components/admin/ConfirmAction";
import { CreateApiKeyForm } from "@/components/admin/developers/CreateApiKeyForm";
import { Badge, buttonClasses, Card, CardBody, CardHeader, EmptyState, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { listApiKeys } from "@/lib/api/keys";
import { requirePageUser } from "@/lib/auth/session";
import { LIVE_MODE_NEEDS_STRIPE, sandboxIsGateway } from "@/lib/payments/mode";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "API keys · Tally Admin" };
export const dynamic = "force-dynamic";

export default async function ApiKeysPage() {
  await requirePageUser("api_keys.manage");
  const fmt = await consoleFormatter();
  const keys = await listApiKeys(await getDb());
  const liveRefused = sandboxIsGateway();
  return (
    <div className="space-y-6">
      <PageHeader
        title="API keys"
        description="Your product calls Tally's REST API with these keys (Authorization: Bearer tk_…). Test keys see test data only."
        actions={
          // A document outside the console (app/api/docs): a full page load, not client navigation.
          <a href="/api/docs" className={buttonClasses({ variant: "secondary" })}>
            API reference
          </a>
        }
      />
      <Card>
        <CardHeader title="Create a key" />
        <CardBody>
          <CreateApiKeyForm action={createApiKeyAction} liveRefusedBecause={liveRefused ? LIVE_MODE_NEEDS_STRIPE : null} />
        </CardBody>
      </Card>
      {keys.length === 0 ? (
        <EmptyState title="No API keys yet" description="Create one above to call the API from your product." />
      ) : (
        <Table caption="API keys">
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Key</TH>
              <TH>Mode</TH>
              <TH>Created</TH>
              <TH>Last used</TH>
              <TH align="right">
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {keys.map((k) => (
              <TR key={k.id}>
                <TD className="font-medium text-slate-900">{k.name}</TD>
                <TD>
                  <code className="font-mono text-xs">{k.prefix}…</code>
                </TD>
                <TD>{k.livemode ? <Badge tone="warning">{liveRefused ? "Live · refused on the sandbox" : "Live"}</Badge> : <Badge>Test</Badge>}</TD>
                <TD muted>{fmt.dateTime(k.createdAt)}</TD>
                <TD muted>{k.lastUsedAt ? fmt.dateTime(k.lastUsedAt) : "Never"}</TD>
                <TD align="right">
                  {k.revokedAt ? (
                    <Badge tone="neutral">Revoked {fmt.dateTime(k.revokedAt)}</Badge>
                  ) : (
                    <ConfirmAction
                      action={revokeApiKeyAction}
                      fields={{ id: k.id }}
                      triggerLabel="Revoke"
                      title={`Revoke ${k.name}?`}
                      body="Requests signed with this key fail with 401 from now on. This cannot be undone; create a new key for anything still using it."
                      confirmLabel="Revoke key"
                      tone="danger"
                    />
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
