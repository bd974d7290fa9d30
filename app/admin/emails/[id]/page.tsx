import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { findEmail, findEmailCause } from "@/db/queries/admin";
import { Card, CardBody, DescriptionList, PageHeader } from "@/components/ui";
import { formatDateTime } from "@/lib/format";
import { requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Email · Tally Admin" };

export default async function EmailPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser("emails.read");
  const { id } = await params;
  const db = await getDb();
  const email = await findEmail(db, id);
  if (!email) notFound();
  const cause = await findEmailCause(db, email.eventId);
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
                    <span className="font-medium">{cause.type}</span> at {formatDateTime(cause.createdAt)}{" "}
                    <span className="font-mono text-xs text-slate-500">({cause.id})</span>
                  </span>
                ) : email.eventId ? (
                  <span className="font-mono text-xs">{email.eventId}</span>
                ) : (
                  "Direct send"
                ),
              },
              ...(email.customerId ? [{ label: "Customer", value: <Link href={`/admin/customers/${email.customerId}`} className="text-brand-700 hover:underline">{email.customerId}</Link> }] : []),
              { label: "Sent", value: formatDateTime(email.sentAt ?? email.createdAt) },
            ]}
          />
        </CardBody>
      </Card>
      {/* The stored HTML is rendered sandboxed: no scripts, links open in a new tab. */}
      <iframe title="Email preview" srcDoc={email.html.replace("<head>", '<head><base target="_blank">')} sandbox="allow-popups allow-popups-to-escape-sandbox" className="h-[640px] w-full rounded-lg border border-slate-200 bg-white" />
      <details className="text-sm">
        <summary className="cursor-pointer font-medium text-slate-700">Plain-text version</summary>
        <pre className="mt-2 whitespace-pre-wrap rounded-lg border border-slate-200 bg-white p-4 text-xs text-slate-700">{email.text}</pre>
      </details>
    </div>
  );
}
