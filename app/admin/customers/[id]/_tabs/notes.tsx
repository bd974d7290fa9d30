import Link from "next/link";
import { getDb } from "@/db/client";
import { listCustomerNotes, listOpenEscalations } from "@/db/queries/notes";
import { NoteForm, ResolveEscalationDialog } from "@/components/admin/customer/NoteForm";
import { Badge, Card, CardBody, CardHeader } from "@/components/ui";
import type { TabProps } from "./context";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export async function NotesTab({ customer, allowed }: TabProps) {
  const fmt = await consoleFormatter();
  const db = await getDb();
  const [notes, everyone] = await Promise.all([listCustomerNotes(db, customer.id), allowed.resolve ? listOpenEscalations(db, { limit: 20 }) : Promise.resolve([])]);
  // Resolutions are shown under the escalation they close.
  const shown = notes.filter((n) => n.kind !== "resolution");
  const elsewhere = everyone.filter((e) => e.customer.id !== customer.id);
  return (
    <div className="grid gap-6 lg:grid-cols-3 [&>*]:min-w-0">
      <div className="space-y-6 lg:col-span-2">
        {allowed.note || allowed.escalate ? (
          <Card>
            <CardHeader title="Add a note" />
            <CardBody>
              <NoteForm customerId={customer.id} canNote={allowed.note} canEscalate={allowed.escalate} />
            </CardBody>
          </Card>
        ) : null}
        <Card>
          <CardHeader title="Notes from staff" description="Newest first. Notes are kept as written." />
          <div>
            {shown.length === 0 ? (
              <p className="px-5 py-6 text-sm text-slate-600">No notes yet.</p>
            ) : (
              <ol className="divide-y divide-slate-100" aria-label="Notes">
                {shown.map((n) => (
                  <li key={n.id} className="space-y-2 px-5 py-4">
                    <div className="flex flex-wrap items-center justify-between gap-2">
                      <div className="flex flex-wrap items-center gap-2 text-[13px] text-slate-600">
                        <span className="font-medium text-slate-900">{n.authorName ?? n.authorEmail ?? "Staff"}</span>
                        <span>{fmt.dateTime(n.createdAt)}</span>
                        {n.kind === "escalation" ? (
                          n.resolution ? (
                            <Badge tone="success">Escalation resolved</Badge>
                          ) : (
                            <Badge tone="warning" dot>
                              Escalated · open
                            </Badge>
                          )
                        ) : null}
                      </div>
                      {n.kind === "escalation" && !n.resolution && allowed.resolve ? (
                        <ResolveEscalationDialog customerId={customer.id} escalationId={n.id} excerpt={n.body.length > 120 ? `${n.body.slice(0, 119)}…` : n.body} />
                      ) : null}
                    </div>
                    <p className="text-sm whitespace-pre-wrap text-slate-800">{n.body}</p>
                    {n.resolution ? (
                      <div className="rounded-md border-l-2 border-success-600 bg-success-50 px-3 py-2 text-sm text-slate-800">
                        <div className="text-[13px] text-slate-600">
                          Resolved by {n.resolution.authorEmail ?? "staff"} · {fmt.dateTime(n.resolution.createdAt)}
                        </div>
                        <p className="whitespace-pre-wrap">{n.resolution.body}</p>
                      </div>
                    ) : null}
                  </li>
                ))}
              </ol>
            )}
          </div>
        </Card>
      </div>
      {allowed.resolve ? (
        <Card className="self-start" aria-label="Open escalations">
          <CardHeader title="Open escalations" description="Across all customers, oldest first." />
          <div>
            {everyone.length === 0 ? (
              <p className="px-5 py-6 text-sm text-slate-600">Nothing is waiting for a billing admin.</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {everyone.map((e) => (
                  <li key={e.note.id} className="px-5 py-3 text-sm">
                    <Link href={`/admin/customers/${e.customer.id}?tab=notes`} className="font-medium text-brand-700 hover:underline">
                      {e.customer.name ?? e.customer.email}
                    </Link>
                    {e.customer.id === customer.id ? <span className="ml-2 text-xs text-slate-500">(this customer)</span> : null}
                    <p className="mt-0.5 line-clamp-2 text-slate-700">{e.note.body}</p>
                    <div className="text-xs text-slate-500">
                      {e.authorEmail ?? "staff"} · {fmt.dateTime(e.note.createdAt)}
                    </div>
                  </li>
                ))}
              </ul>
            )}
            {elsewhere.length > 0 ? <p className="sr-only">{elsewhere.length} on other customers.</p> : null}
          </div>
        </Card>
      ) : null}
    </div>
  );
}
