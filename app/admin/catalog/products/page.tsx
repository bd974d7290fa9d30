import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listProductsWithPlanCounts } from "@/db/queries/catalog-admin";
import { FieldsForm } from "@/components/admin/FieldsForm";
import { Badge, ButtonLink, Card, CardBody, CardHeader, EmptyState, FlashToast, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { createProductAction, updateProductAction } from "./actions";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Products · Tally Admin" };
export const dynamic = "force-dynamic";

export default async function ProductsPage({ searchParams }: { searchParams: Promise<{ edit?: string; notice?: string }> }) {
  const user = await requirePageUser("catalog.read");
  const fmt = await consoleFormatter();
  const canWrite = can(user.role, "catalog.write");
  const { edit, notice } = await searchParams;
  const rows = await listProductsWithPlanCounts(await getDb());
  const editing = canWrite ? rows.find((r) => r.product.id === edit)?.product : undefined;

  return (
    <div className="space-y-6">
      {notice ? <FlashToast message={notice} tone="success" /> : null}
      <PageHeader title="Products" description="What you sell. Each product has plans, and each plan has a price per currency. Names and descriptions show in the customer portal and on invoices." />

      {editing ? (
        <Card id="edit">
          <CardHeader title={`Edit ${editing.name}`} description="An inactive product's plans are hidden from the portal's pricing table; existing subscriptions keep billing." />
          <FieldsForm
            key={editing.id}
            action={updateProductAction}
            hidden={{ productId: editing.id }}
            fields={[
              { kind: "text", name: "name", label: "Name", defaultValue: editing.name, required: true },
              {
                kind: "select",
                name: "active",
                label: "Status",
                defaultValue: String(editing.active),
                options: [
                  { value: "true", label: "Active: offered to new subscribers" },
                  { value: "false", label: "Inactive: hidden, existing subscriptions continue" },
                ],
              },
              { kind: "textarea", name: "description", label: "Description", defaultValue: editing.description ?? "", wide: true },
            ]}
          />
        </Card>
      ) : null}

      <Card>
        <CardHeader title="All products" description={`${rows.length} product${rows.length === 1 ? "" : "s"}`} />
        {rows.length === 0 ? (
          <CardBody>
            <EmptyState title="No products yet" description={canWrite ? "Create the first one below, then give it plans and prices." : "A billing admin creates products and plans."} />
          </CardBody>
        ) : (
          <Table bare caption="Products">
            <THead>
              <TR>
                <TH>Product</TH>
                <TH numeric>Plans</TH>
                <TH>Status</TH>
                <TH>Created</TH>
                {canWrite ? (
                  <TH align="right" className="relative">
                    <span className="sr-only">Actions</span>
                  </TH>
                ) : null}
              </TR>
            </THead>
            <TBody>
              {rows.map(({ product, plans }) => (
                <TR key={product.id} className={editing?.id === product.id ? "bg-brand-50" : undefined}>
                  <TD wrap className="min-w-48">
                    <p className="font-medium text-slate-900">{product.name}</p>
                    {product.description ? <p className="text-[13px] text-slate-600">{product.description}</p> : null}
                  </TD>
                  <TD numeric>
                    <Link href={`/admin/catalog/plans?product=${product.id}`} className="rounded-sm text-brand-700 hover:underline">
                      {plans}
                      <span className="sr-only"> plans of {product.name}</span>
                    </Link>
                  </TD>
                  <TD>{product.active ? <Badge tone="success" dot>Active</Badge> : <Badge>Inactive</Badge>}</TD>
                  <TD muted>{fmt.date(product.createdAt)}</TD>
                  {canWrite ? (
                    <TD align="right" className="relative">
                      <ButtonLink href={`/admin/catalog/products?edit=${product.id}#edit`} variant="ghost" size="sm">
                        Edit<span className="sr-only"> {product.name}</span>
                      </ButtonLink>
                    </TD>
                  ) : null}
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Card>

      {canWrite ? (
        <Card>
          <CardHeader title="New product" description="Creating a product charges no one: prices live on its plans." />
          <FieldsForm
            action={createProductAction}
            submitLabel="Create product"
            fields={[
              { kind: "text", name: "name", label: "Name", defaultValue: "", placeholder: "e.g. Tally Cloud", required: true },
              { kind: "text", name: "description", label: "Description", defaultValue: "", placeholder: "Optional" },
            ]}
          />
        </Card>
      ) : null}
    </div>
  );
}
