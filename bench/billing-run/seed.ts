/**
 * Seeding for the billing-run benchmark and the R15 reliability test: N customers, each with a
 * sandbox card and one monthly subscription whose renewal is due.
 *
 * One customer, card and subscription are created through the services (so every column is what
 * Tally itself writes); the other N − 1 are cloned from those rows in bulk SQL (new ids, a new
 * sandbox gateway id `pm_card_visa:<random>` per card, no latest invoice), which takes seconds for
 * 100k where the services would take many minutes. Seeding is never measured.
 *
 * Clone ids have the shape of Tally's own (lib/ids.ts): a prefix that sorts in creation order, then
 * a random tail. Rows made one after another sort (and are claimed) together, as customers who
 * signed up together and renew together do; purely random ids would instead scatter every batch's
 * reads over the whole table, which no Tally-made data does.
 */
import { isNotNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { plans, prices, products, subscriptions } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { newId } from "@/lib/ids";
import { createCustomer } from "@/lib/services/customers/create-customer";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";

export interface SeedResult {
  priceId: string;
  unitAmount: number;
  /** Every seeded subscription id (the template's first). */
  subscriptionIds: string[];
  customerIds: string[];
}

export async function seedDueSubscriptions(db: Db, count: number, opts: { createdAt: Date; label: string; unitAmount?: number }): Promise<SeedResult> {
  const unitAmount = opts.unitAmount ?? 2900;
  const ctx = { db, actor: systemActor("bench"), now: opts.createdAt };
  const productId = newId("product");
  await db.insert(products).values({ id: productId, name: `${opts.label} product` });
  const planId = newId("plan");
  await db.insert(plans).values({ id: planId, productId, code: `${opts.label}-${planId.slice(-6).toLowerCase()}`, name: "Bench monthly", interval: "month", intervalCount: 1, trialPeriodDays: 0 });
  const priceId = newId("price");
  await db.insert(prices).values({ id: priceId, planId, currency: "aud", version: 1, taxBehavior: "inclusive", unitAmount });

  const customer = await createCustomer(ctx, { email: `${opts.label}-0@example.test`, name: "Bench", currency: "aud", timezone: "UTC", address: { country: "AU" } });
  const pm = await attachPaymentMethod(ctx, { customerId: customer.id, token: "pm_card_visa" });
  const { subscription } = await createSubscription(ctx, { customerId: customer.id, items: [{ priceId, quantity: 1 }] });
  if (subscription.status !== "active") throw new Error(`template subscription is ${subscription.status}`);

  const clones = count - 1;
  if (clones > 0) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`
        create temp table bench_clone_map on commit drop as
        select g,
               'cus_' || lpad(to_hex(g), 12, '0') || substr(md5(random()::text || g::text), 1, 12) as cus,
               'pm_' || lpad(to_hex(g), 12, '0') || substr(md5(random()::text || g::text), 1, 12) as pm,
               'sub_' || lpad(to_hex(g), 12, '0') || substr(md5(random()::text || g::text), 1, 12) as sub,
               'si_' || lpad(to_hex(g), 12, '0') || substr(md5(random()::text || g::text), 1, 12) as si
        from generate_series(1, ${clones}::int) g`);
      await tx.execute(sql`
        insert into customers
        select (jsonb_populate_record(null::customers, to_jsonb(c) || jsonb_build_object(
          'id', m.cus, 'email', ${opts.label} || '-' || m.g || '@example.test', 'default_payment_method_id', m.pm,
          'gateway_customer_id', 'cus_sbx_' || m.cus, 'external_id', null))).*
        from customers c, bench_clone_map m where c.id = ${customer.id}`);
      await tx.execute(sql`
        insert into payment_methods
        select (jsonb_populate_record(null::payment_methods, to_jsonb(p) || jsonb_build_object(
          'id', m.pm, 'customer_id', m.cus, 'gateway_id', 'pm_card_visa:' || substr(md5(random()::text || m.g::text), 1, 16)))).*
        from payment_methods p, bench_clone_map m where p.id = ${pm.id}`);
      await tx.execute(sql`
        insert into subscriptions
        select (jsonb_populate_record(null::subscriptions, to_jsonb(s) || jsonb_build_object(
          'id', m.sub, 'customer_id', m.cus, 'latest_invoice_id', null))).*
        from subscriptions s, bench_clone_map m where s.id = ${subscription.id}`);
      await tx.execute(sql`
        insert into subscription_items
        select (jsonb_populate_record(null::subscription_items, to_jsonb(i) || jsonb_build_object('id', m.si || '_' || i.position, 'subscription_id', m.sub))).*
        from subscription_items i, bench_clone_map m where i.subscription_id = ${subscription.id}`);
    });
    await db.execute(sql`analyze customers, payment_methods, subscriptions, subscription_items`);
  }

  return { ...(await seededSubscriptions(db, priceId, subscription.id)), priceId, unitAmount };
}

/** The seeded subscriptions (the template's first) and their customers, in the same order. */
async function seededSubscriptions(db: Db, priceId: string, templateId: string): Promise<Pick<SeedResult, "subscriptionIds" | "customerIds">> {
  const subs = (await db.execute(sql`select id, customer_id from subscriptions s where exists (select 1 from subscription_items i where i.subscription_id = s.id and i.price_id = ${priceId}) order by (s.id = ${templateId}) desc, s.id`)) as unknown as {
    rows: { id: string; customer_id: string }[];
  };
  return { subscriptionIds: subs.rows.map((r) => r.id), customerIds: subs.rows.map((r) => r.customer_id) };
}

/** What seedDueSubscriptions returned, read back from a database it seeded (and nothing else wrote to). */
export async function readSeed(db: Db): Promise<SeedResult> {
  const [price] = await db.select({ id: prices.id, unitAmount: prices.unitAmount }).from(prices);
  const [template] = await db.select({ id: subscriptions.id }).from(subscriptions).where(isNotNull(subscriptions.latestInvoiceId));
  if (!price || !template) throw new Error("not a database seedDueSubscriptions seeded");
  return { ...(await seededSubscriptions(db, price.id, template.id)), priceId: price.id, unitAmount: Number(price.unitAmount) };
}
