import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { and, eq, ne } from "drizzle-orm";
import { getDb } from "@/db/client";
import { keysetPage } from "@/db/queries/paginate";
import { invoices } from "@/db/schema";
import { ButtonLink, EmptyState, PageHeader } from "@/components/ui";
import { InvoiceTable } from "@/components/invoices/InvoiceTable";
import { AppError } from "@/lib/errors";
import { portalCustomer } from "@/lib/portal/customer";
import { portalFormatter } from "@/lib/portal/formatter";

export const metadata: Metadata = { title: "Invoices · Tally" };

const PAGE_SIZE = 25;
const cursor = (v: string | undefined) => (v && /^[A-Za-z0-9_]{1,100}$/.test(v) ? v : undefined);

export default async function InvoicesPage({ searchParams }: { searchParams: Promise<{ after?: string; before?: string }> }) {
  const fmt = await portalFormatter();
  const query = await searchParams;
  const { customer } = await portalCustomer();
  const after = cursor(query.after);
  const before = after ? undefined : cursor(query.before);
  // Newest first, 25 a page, by (created_at, id); drafts are not the customer's to see yet.
  const page = await keysetPage(await getDb(), invoices, and(eq(invoices.customerId, customer.id), ne(invoices.status, "draft")), {
    limit: PAGE_SIZE,
    startingAfter: after,
    endingBefore: before,
  }).catch((error: unknown) => {
    // A cursor that is not one of this customer's invoices.
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const more = page.rows.length > PAGE_SIZE;
  const rows = page.rows.slice(0, PAGE_SIZE);
  if (page.direction === "backward") rows.reverse();
  const newer = rows.length > 0 && (page.direction === "backward" ? more : !!after) ? `/invoices?before=${rows[0]!.id}` : null;
  const older = rows.length > 0 && (page.direction === "backward" || more) ? `/invoices?after=${rows[rows.length - 1]!.id}` : null;
  const linkClass = "inline-flex h-9 items-center rounded-md px-3 text-sm font-medium text-brand-700 hover:bg-brand-50";
  return (
    <div className="space-y-6">
      <PageHeader title="Invoices" description="Every invoice for your account. Open one to pay it or download the PDF; the receipts for your payments are under Receipts." />
      {rows.length === 0 && !after && !before ? (
        <EmptyState title="No invoices yet" description="Your invoices appear here once you subscribe." action={<ButtonLink href="/plans">See plans</ButtonLink>} />
      ) : (
        <>
          <InvoiceTable fmt={fmt} invoices={rows} timeZone={customer.timezone} href={(inv) => `/invoices/${inv.id}`} show={{ paid: true, remaining: true }} />
          {newer || older ? (
            <nav aria-label="Invoice pages" className="flex items-center justify-between">
              {newer ? <Link href={newer} className={linkClass}>← Newer invoices</Link> : <span />}
              {older ? <Link href={older} className={linkClass}>Older invoices →</Link> : <span />}
            </nav>
          ) : null}
        </>
      )}
    </div>
  );
}
