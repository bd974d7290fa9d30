import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listEmails } from "@/db/queries/admin";
import { Badge, EmptyState, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Emails · Tally Admin" };

export default async function EmailsPage() {
  await requirePageUser("emails.read");
  const fmt = await consoleFormatter();
  const emails = await listEmails(await getDb());
  return (
    <div className="space-y-6">
      <PageHeader
        title="Emails"
        description={
          process.env.RESEND_API_KEY
            ? "Every email Tally sent through Resend. Sign-in and payment-confirmation links are withheld here: only the recipient has them."
            : "The mailbox: without RESEND_API_KEY, emails are kept here instead of being sent. Sign-in and payment-confirmation links are withheld here and printed to the server log instead."
        }
      />
      {emails.length === 0 ? (
        <EmptyState title="No emails yet" description="Receipts, sign-in emails and notices appear here as they are sent." />
      ) : (
        <Table>
          <THead>
            <TR>
              <TH>Subject</TH>
              <TH>To</TH>
              <TH>Template</TH>
              <TH>Sent</TH>
            </TR>
          </THead>
          <TBody>
            {emails.map((e) => (
              <TR key={e.id}>
                <TD>
                  <Link href={`/admin/emails/${e.id}`} className="font-medium text-brand-700 hover:underline">
                    {e.subject}
                  </Link>
                </TD>
                <TD>{e.to}</TD>
                <TD>
                  <Badge>{e.template}</Badge>
                </TD>
                <TD muted>{fmt.dateTime(e.createdAt)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
