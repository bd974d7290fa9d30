import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listTestClocks } from "@/db/queries/test-clocks";
import { FieldsForm } from "@/components/admin/FieldsForm";
import { Badge, Card, CardHeader, EmptyState, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { createTestClockAction } from "./actions";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Test clocks · Tally Admin" };
export const dynamic = "force-dynamic";

export default async function TestClocksPage() {
  await requirePageUser("test_clocks.manage");
  const fmt = await consoleFormatter();
  const clocks = await listTestClocks(await getDb());
  const now = new Date();
  return (
    <div className="space-y-6">
      <PageHeader title="Test clocks" description="Simulate time for test customers: create a clock, add customers to it, advance it, and watch renewals, retries and dunning run. Times are UTC." />
      <Card>
        <CardHeader title="New test clock" />
        <FieldsForm
          action={createTestClockAction}
          submitLabel="Create clock"
          fields={[
            { kind: "text", name: "name", label: "Name", defaultValue: "", placeholder: "e.g. Annual renewal" },
            { kind: "datetime-local", name: "frozenTime", label: "Start at (UTC)", defaultValue: now.toISOString().slice(0, 16) },
          ]}
        />
      </Card>
      {clocks.length === 0 ? (
        <EmptyState title="No test clocks" description="Create one to test a billing scenario without waiting for real time to pass." />
      ) : (
        <Table caption="Test clocks">
          <THead>
            <TR>
              <TH>Clock</TH>
              <TH>Frozen at</TH>
              <TH>Status</TH>
              <TH>Created</TH>
            </TR>
          </THead>
          <TBody>
            {clocks.map((c) => (
              <TR key={c.id}>
                <TD>
                  <Link href={`/admin/developers/test-clocks/${c.id}`} className="font-medium text-brand-700 hover:underline">
                    {c.name ?? c.id}
                  </Link>
                </TD>
                <TD>{fmt.dateTime(c.frozenTime)}</TD>
                <TD>{c.status === "advancing" ? <Badge tone="info">Advancing</Badge> : <Badge tone="success">Ready</Badge>}</TD>
                <TD muted>{fmt.dateTime(c.createdAt)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
