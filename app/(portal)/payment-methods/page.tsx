import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listPaymentMethods } from "@/db/queries/customers";
import { Badge, EmptyState, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { portalCustomer } from "@/lib/portal/customer";

export const metadata: Metadata = { title: "Payment methods · Tally" };

export default async function PaymentMethodsPage() {
  const { customer } = await portalCustomer();
  const methods = await listPaymentMethods(await getDb(), customer.id);
  return (
    <div className="space-y-6">
      <PageHeader title="Payment methods" description="Cards saved for your subscription payments." />
      {methods.length === 0 ? (
        <EmptyState title="No saved cards" description="A card is saved when you subscribe to a plan." />
      ) : (
        <Table>
          <THead>
            <TR>
              <TH>Card</TH>
              <TH>Expires</TH>
              <TH />
            </TR>
          </THead>
          <TBody>
            {methods.map((m) => (
              <TR key={m.id}>
                <TD className="font-medium text-slate-900">
                  {m.brand.charAt(0).toUpperCase() + m.brand.slice(1)} ending {m.last4}
                </TD>
                <TD>
                  {String(m.expMonth).padStart(2, "0")}/{m.expYear}
                </TD>
                <TD align="right">{m.id === customer.defaultPaymentMethodId ? <Badge tone="info">Default</Badge> : null}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
