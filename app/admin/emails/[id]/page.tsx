import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { findEmail, findEmailCause } from "@/db/queries/admin";
import { listEmailAttachments } from "@/db/queries/receipts";
import { Alert, Card, CardBody, DescriptionList, PageHeader } from "@/components/ui";
import { withheldLinks } from "@/lib/email/secret-link";
import { requirePageUser } from "@/lib/auth/session";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Email · Tally Admin" };

export default async function EmailPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser("emails.read");
  const fmt = await consoleFormatter();
  const { id } = await params;
  const db = await getDb();
  const email = await findEmail(db, id);
  if (!email) notFound();
  const [cause, attachments] = await Promise.all([findEmailCause(db, email.eventId), listEmailAttachments(db, email.id)]);
  const withheld = withheldLinks(email.text);
  return (
    <div className="space-y-6">
      <PageHeader title={email.subject} back={{ href: "/admin/emails", label: "Emails" }} />
      <Card>
        <CardBody>
          <DescriptionList
            items={[
              { label: "To", value: email.to },
              { label: "Template", value: email.template },
              {
                label: "Caused by",
                value: cause ? (
                  <span>
                    <span className="font-medium">{cause.type}</span> at {fmt.dateTime(cause.createdAt)}{" "}
                    <span className="font-mono text-xs text-slate-500">({cause.id})</span>
                  </span>
                ) : email.eventId ? (
                  <span className="font-mono text-xs">{email.eventId}</span>
                ) : (
                  "Direct send"
                ),
              },
              ...(email.customerId ? [{ label: "Customer", value: <Link href={`/admin/customers/${email.customerId}`} className="text-brand-700 hover:underline">{email.customerId}</Link> }] : []),
              { label: "Sent", value: fmt.dateTime(email.sentAt ?? email.createdAt) },
              ...(attachments.length > 0
                ? [
                    {
                      label: attachments.length === 1 ? "Attachment" : "Attachments",
                      value: (
                        <ul className="space-y-1">
                          {attachments.map((a) => (
                            <li key={a.position}>
                              <a href={`/admin/emails/${email.id}/attachments/${a.position}`} download className="font-medium text-brand-700 hover:underline">
                                {a.filename}
                              </a>{" "}
                              <span className="text-xs text-slate-500">
                                {a.contentType}, {fmt.count(Math.ceil(a.size / 1024))} KB
                              </span>
                            </li>
                          ))}
                        </ul>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </CardBody>
      </Card>
      {withheld.length > 0 && (
        <Alert tone="info" title={`The ${withheld.join(" and ")} in this email was withheld`}>
          Whoever opens it acts as {email.to}, so Tally keeps no copy and shows none here.{" "}
          {email.transport === "resend"
            ? `Resend delivered the real link to ${email.to}; if it was lost, they ask for a new one.`
            : `Without RESEND_API_KEY nothing is emailed: the link was printed once to the Tally server's log, on the line starting "[tally] ${withheld[0]} for ${email.to}".`}
        </Alert>
      )}
      {/* The stored HTML is rendered sandboxed: no scripts, links open in a new tab. */}
      <iframe title="Email preview" srcDoc={email.html.replace("<head>", '<head><base target="_blank">')} sandbox="allow-popups allow-popups-to-escape-sandbox" className="h-[640px] w-full rounded-lg border border-slate-200 bg-white" />
      <details className="text-sm">
        <summary className="cursor-pointer font-medium text-slate-700">Plain-text version</summary>
        <pre className="mt-2 whitespace-pre-wrap rounded-lg border border-slate-200 bg-white p-4 text-xs text-slate-700">{email.text}</pre>
      </details>
    </div>
  );
}
