import Link from "next/link";
import { getDb } from "@/db/client";
import { listEmails } from "@/db/queries/admin";
import { EmptyState, StatusBadge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { TabProps } from "./context";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export async function EmailsTab({ customer, allowed }: TabProps) {
  const fmt = await consoleFormatter();
  const emails = await listEmails(await getDb(), 100, customer.id);
  if (emails.length === 0) return <EmptyState title="No emails sent" description="Receipts, invoices and reminders sent to this customer are listed here." />;
  return (
    <Table caption="Emails sent">
      <THead>
        <TR>
          <TH>Sent</TH>
          <TH>Subject</TH>
          <TH>To</TH>
          <TH>Status</TH>
        </TR>
      </THead>
      <TBody>
        {emails.map((e) => (
          <TR key={e.id}>
            <TD muted>{fmt.dateTime(e.createdAt)}</TD>
            <TD wrap>
              {allowed.emails ? (
                <Link href={`/admin/emails/${e.id}`} className="font-medium text-brand-700 hover:underline">
                  {e.subject}
                </Link>
              ) : (
                e.subject
              )}
              <div className="text-xs text-slate-500">{e.template}</div>
            </TD>
            <TD muted>{e.to}</TD>
            <TD>
              <StatusBadge status={e.status === "sent" ? "succeeded" : e.status === "failed" ? "failed" : "open"}>{e.status}</StatusBadge>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
