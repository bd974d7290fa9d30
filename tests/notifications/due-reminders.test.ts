import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { customers, emails, paymentMethods } from "@/db/schema";
import { sendCardExpiryReminders } from "@/lib/services/notifications/due/card-expiry-reminders";
import { sendTrialEndingReminders } from "@/lib/services/notifications/due/trial-ending-reminders";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { ctx, DAY_MS, NOW } from "../services/support";
import { makeCatalog, makeCustomer, makeTestClock, type Catalog } from "../factories";

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

const emailsOf = (customerId: string, template: string) => db.select().from(emails).where(and(eq(emails.customerId, customerId), eq(emails.template, template)));

describe("due-work reminders: a second run for the same now sends nothing", () => {
  it("sendTrialEndingReminders: trials ending within 3 days, once each; test-clock customers only with their clock's filter", async () => {
    const clockId = await makeTestClock(db, NOW);
    const c = ctx(db);
    const withCard = await makeCustomer(c);
    const noCard = await makeCustomer(c, { card: null });
    const onClock = await makeCustomer(c, { testClockId: clockId });
    const subs = [];
    for (const customer of [withCard, noCard, onClock]) {
      subs.push((await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audTrial.id, quantity: 1 }] })).subscription);
    }
    expect(subs.map((s) => s.status)).toEqual(["trialing", "trialing", "trialing"]);
    const trialEnd = subs[0]!.trialEnd!;

    // 4 days before the end: too early.
    await sendTrialEndingReminders(db, new Date(trialEnd.getTime() - 4 * DAY_MS));
    expect(await emailsOf(withCard.id, "trial-ending")).toHaveLength(0);

    const now = new Date(trialEnd.getTime() - 2 * DAY_MS);
    await sendTrialEndingReminders(db, now);
    await sendTrialEndingReminders(db, now);
    await sendTrialEndingReminders(db, new Date(now.getTime() + 3_600_000));
    const [sent, ...rest] = await emailsOf(withCard.id, "trial-ending");
    expect(rest).toHaveLength(0);
    expect(sent?.eventId).toBe(`trial_ending:${subs[0]!.id}:${trialEnd.toISOString()}`);
    expect(sent?.subject).toBe("Your Pro trial ends on 24 Mar 2026");
    expect(sent?.text).toContain("$29.00 / month (incl. GST)");
    expect(sent?.text).toContain("card on file");
    const missing = await emailsOf(noCard.id, "trial-ending");
    expect(missing).toHaveLength(1);
    expect(missing[0]!.text).toContain("/payment-methods");
    // The test-clock customer is left to its clock.
    expect(await emailsOf(onClock.id, "trial-ending")).toHaveLength(0);
    await sendTrialEndingReminders(db, now, { testClockId: clockId });
    await sendTrialEndingReminders(db, now, { testClockId: clockId });
    expect(await emailsOf(onClock.id, "trial-ending")).toHaveLength(1);
  });

  it("sendCardExpiryReminders: default cards expiring at the end of next month, once per card and month", async () => {
    const c = ctx(db);
    const expiring = await makeCustomer(c, { name: "Eve" });
    const fine = await makeCustomer(c);
    const detached = await makeCustomer(c, { card: null });
    // NOW is March 2026: cards expiring 04/2026 are reminded.
    await db.update(paymentMethods).set({ expMonth: 4, expYear: 2026 }).where(eq(paymentMethods.id, expiring.defaultPaymentMethodId!));
    await db.update(paymentMethods).set({ expMonth: 5, expYear: 2026 }).where(eq(paymentMethods.id, fine.defaultPaymentMethodId!));
    expect(detached.defaultPaymentMethodId).toBeNull();
    await db.update(customers).set({ name: "Eve" }).where(eq(customers.id, expiring.id));

    await sendCardExpiryReminders(db, NOW);
    await sendCardExpiryReminders(db, NOW);
    await sendCardExpiryReminders(db, new Date(NOW.getTime() + DAY_MS));
    const sent = await emailsOf(expiring.id, "card-expiring");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.eventId).toBe(`card_expiring:${expiring.defaultPaymentMethodId}:2026-04`);
    expect(sent[0]!.text).toContain("Visa ending 4242");
    expect(sent[0]!.text).toContain("end of April 2026");
    expect(sent[0]!.text).toContain("/payment-methods");
    expect(await emailsOf(fine.id, "card-expiring")).toHaveLength(0);

    // A month later the other card's turn comes, once.
    const april = new Date("2026-04-02T00:00:00.000Z");
    await sendCardExpiryReminders(db, april);
    await sendCardExpiryReminders(db, april);
    expect(await emailsOf(fine.id, "card-expiring")).toHaveLength(1);
    expect(await emailsOf(expiring.id, "card-expiring")).toHaveLength(1);
  });
});
