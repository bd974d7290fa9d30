import { addCustomerNote } from "@/lib/services/notes/add-note";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { refreshCustomerMrr } from "@/lib/services/analytics/mrr";
import type { CustomerRow } from "@/db/queries/customers";
import { cancellationAttempts, disputes, emails, invoices, outboxEvents, payments, pendingInvoiceItems, usageLateChecks, usageSpendNotices, usageThresholdNotices, users, webhookDeliveries } from "@/db/schema";
import { newId, randomToken } from "@/lib/ids";
import type { ServiceContext } from "@/lib/services/context";
import { grantCredit } from "@/lib/services/balance/grant-credit";
import { createCreditNote } from "@/lib/services/credit-notes/create-credit-note";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { createPortalSession } from "@/lib/services/portal/portal-sessions";
import { createUser } from "@/lib/services/users/create-user";
import { issueReceipt } from "@/lib/services/receipts/issue-receipt";
import { createMeter } from "@/lib/services/usage/create-meter";
import { ingestUsageEvents } from "@/lib/services/usage/ingest-usage-events";
import { createCostProvider } from "@/lib/services/api-costs/providers";
import { recordApiCosts } from "@/lib/services/api-costs/record-api-costs";
import { createWebhookEndpoint } from "@/lib/services/webhooks/endpoints";
import type { UserRow } from "@/db/queries/staff";
import { makeCatalog, makeCustomer } from "../factories";
import { ctx, NOW } from "../services/support";

export { ctx, NOW };
export const PASSWORD = "correct horse battery";

export interface Subscriber {
  db: Db;
  c: ServiceContext;
  customer: CustomerRow;
  user: UserRow;
  subscriptionId: string;
  invoiceId: string;
  paymentId: string;
}

/**
 * A subscriber with something in every table that holds rows about a customer: a user with a
 * password, a card, a paid A$10 subscription, a partial refund by credit note, a credit grant, a
 * dispute, a pending invoice item, an email, an unopened portal link, a cancel-survey answer and
 * a usage event (with its rollups) on a unique_count meter.
 */
export async function makeSubscriber(opts: { name?: string } = {}): Promise<Subscriber> {
  const db = await getDb();
  const c = ctx(db);
  const catalog = await makeCatalog(db);
  const email = `p_${randomToken(8).toLowerCase()}@example.test`;
  const customer = await makeCustomer(c, {
    email,
    name: opts.name ?? "Robin Private",
    address: { line1: "5 Pitt St", city: "Sydney", state: "NSW", postal_code: "2000", country: "AU" },
  });
  const user = await createUser(c, { email, role: "subscriber", name: opts.name ?? "Robin Private", password: PASSWORD, customerId: customer.id, emailVerified: true });
  const { subscription, invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
  if (!invoice) throw new Error("no first invoice");
  const [paid] = await db.select().from(invoices).where(eq(invoices.id, invoice.id));
  if (paid?.status !== "paid") throw new Error(`first invoice is ${paid?.status}`);
  const [payment] = await db.select().from(payments).where(eq(payments.invoiceId, invoice.id));
  if (!payment) throw new Error("no payment");
  await createCreditNote(c, { invoiceId: invoice.id, amount: 100, reason: "product_unsatisfactory", outcome: "refund", memo: "goodwill" });
  await grantCredit(c, { customerId: customer.id, amount: 250, currency: "aud", reason: "Sorry for the outage" });
  await db.insert(disputes).values({
    id: newId("dispute"),
    paymentId: payment.id,
    invoiceId: invoice.id,
    customerId: customer.id,
    amount: 100,
    currency: "aud",
    status: "needs_response",
    reason: "general",
    gatewayId: `dp_${randomToken(10)}`,
  });
  // The receipt of their payment.
  if (!(await issueReceipt(db, payment.id, NOW))) throw new Error("no receipt for the subscriber's payment");
  await db.insert(pendingInvoiceItems).values({ id: newId("invoiceItem"), customerId: customer.id, description: "Setup help", amount: 500, currency: "aud", taxBehavior: "inclusive" });
  await db.insert(emails).values({
    id: newId("email"),
    to: email,
    subject: "Welcome, Robin",
    html: "<p>Hello Robin Private</p>",
    text: "Hello Robin Private",
    template: "subscription-started",
    customerId: customer.id,
    transport: "outbox",
    status: "sent",
  });
  await db.insert(cancellationAttempts).values({ id: `cxa_${randomToken(16)}`, customerId: customer.id, subscriptionId: subscription.id, reason: "other", reasonText: "Robin moved abroad", startedAt: NOW });
  await addCustomerNote({ ...c, actor: { type: "user", id: "usr_staff_support", role: "support" } }, { customerId: customer.id, body: "Called about the March invoice" });
  await createPortalSession(c, { customerId: customer.id, returnUrl: "https://app.example.com/account" });
  const meter = await createMeter(c, { code: `seats_${randomToken(8).toLowerCase()}`, name: "Active users", aggregation: "unique_count", uniqueProperty: "user" });
  const [usage] = await ingestUsageEvents(c, [{ identifier: `u-${randomToken(10)}`, meter: meter.code, customer: customer.id, timestamp: new Date(NOW.getTime() - 3_600_000), properties: { user: "robin@example.test" } }]);
  if (usage?.status !== "accepted") throw new Error(`usage event not accepted: ${JSON.stringify(usage)}`);
  // Usage bookkeeping about them: a late-usage re-measure pending, and a limit notice sent.
  await db.insert(usageLateChecks).values({ customerId: customer.id, since: new Date(NOW.getTime() - 86_400_000), notedAt: NOW }).onConflictDoNothing();
  await db.insert(usageThresholdNotices).values({ customerId: customer.id, featureCode: "seats", threshold: 80, periodStart: NOW, subscriptionId: subscription.id, meterCode: meter.code, limit: "10", used: "8", createdAt: NOW });
  // An API cost the platform attributes to them (with its rollup).
  const provider = await createCostProvider(c, { code: `maps_${randomToken(8).toLowerCase()}`, name: "Maps", rates: [{ operation: "lookup", unit: "lookup", unitCostDecimal: "1.5", currency: "aud", effectiveFrom: new Date(NOW.getTime() - 86_400_000) }] });
  const [cost] = await recordApiCosts(c, [{ identifier: `c-${randomToken(10)}`, provider: provider.provider.code, operation: "lookup", units: 2, customer: customer.id, timestamp: new Date(NOW.getTime() - 3_600_000) }]);
  if (cost?.status !== "accepted") throw new Error(`api cost not accepted: ${JSON.stringify(cost)}`);
  await db.insert(usageSpendNotices).values({ subscriptionId: subscription.id, spendThreshold: 1000, threshold: 80, periodStart: NOW, customerId: customer.id, currency: subscription.currency, amount: 800, createdAt: NOW });
  // A webhook delivery of one of their events to the business's endpoint.
  const endpoint = await createWebhookEndpoint(c, { url: "https://hooks.example.com/tally", events: ["*"], livemode: false });
  const [event] = await db.select().from(outboxEvents).where(eq(outboxEvents.customerId, customer.id)).limit(1);
  if (!event) throw new Error("no outbox event about the subscriber");
  await db.insert(webhookDeliveries).values({ id: newId("webhookDelivery"), endpointId: endpoint.id, eventId: event.id, eventType: event.type, eventCreatedAt: event.createdAt, customerId: customer.id, nextAttemptAt: NOW });
  // Their MRR history, as the outbox keeps it after the subscription's invoice.
  if ((await refreshCustomerMrr(db, [customer.id])) === 0) throw new Error("no MRR movement for the subscriber");
  const [fresh] = await db.select().from(users).where(eq(users.id, user.id));
  return { db, c, customer, user: fresh ?? user, subscriptionId: subscription.id, invoiceId: invoice.id, paymentId: payment.id };
}
