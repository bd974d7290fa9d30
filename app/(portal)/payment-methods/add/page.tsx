import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listPaymentMethods, listUnpaidChargedInvoices } from "@/db/queries/customers";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui";
import { AddCardForm } from "@/components/portal/AddCardForm";
import { safeReturnPath } from "@/components/portal/return-path";
import { portalCustomer } from "@/lib/portal/customer";
import { addCardAction, startCardSetupAction } from "./actions";
import { portalFormatter } from "@/lib/portal/formatter";

export const metadata: Metadata = { title: "Add a card · Tally" };

/** Where "Done" goes, named after the page the customer came from. */
function returnLabel(path: string): string {
  if (path.startsWith("/invoices/")) return "Back to the invoice";
  if (path.startsWith("/invoices")) return "Back to invoices";
  if (path.startsWith("/subscription")) return "Back to your subscription";
  if (path.startsWith("/checkout") || path.startsWith("/plans")) return "Back to plans";
  if (path === "/") return "Back to overview";
  return "Done";
}

export default async function AddCardPage({ searchParams }: { searchParams: Promise<{ return?: string | string[] }> }) {
  const fmt = await portalFormatter();
  const { return: rawReturn } = await searchParams;
  const returnTo = safeReturnPath(rawReturn);
  const { customer } = await portalCustomer();
  const db = await getDb();
  const [cards, open] = await Promise.all([
    listPaymentMethods(db, customer.id),
    listUnpaidChargedInvoices(db, customer.id),
  ]);
  const unpaid = open.map((i) => `${i.number ? `invoice ${i.number}` : "your unpaid invoice"} (${fmt.money(i.amountRemaining, i.currency)})`);
  // The Payment Element needs both keys: Stripe as the gateway and its publishable key for the browser.
  const stripeKey = process.env.STRIPE_SECRET_KEY ? (process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY ?? null) : null;

  return (
    <div className="mx-auto max-w-xl space-y-6">
      <PageHeader title="Add a card" back={{ href: returnTo, label: returnTo === "/payment-methods" ? "Payment methods" : "Back" }} />
      <Card>
        <CardHeader
          title="Card details"
          description={stripeKey ? "Your card is saved securely with Stripe. Card details never reach our servers." : "Sandbox mode: use a Stripe test card. No real card is charged."}
        />
        <CardBody>
          <AddCardForm
            action={addCardAction}
            stripe={stripeKey ? { publishableKey: stripeKey, startSetup: startCardSetupAction } : null}
            firstCard={cards.length === 0}
            unpaid={unpaid}
            returnTo={returnTo}
            returnLabel={returnLabel(returnTo)}
          />
        </CardBody>
      </Card>
    </div>
  );
}
