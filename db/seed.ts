import { and, eq, sql } from "drizzle-orm";
import type { Db } from "./client";
import { plans, prices, products, users } from "./schema";
import { systemActor } from "@/lib/actor";
import { createPlan } from "@/lib/services/catalog/create-plan";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { processDueSubscription } from "@/lib/services/subscriptions/process-due";
import { createMeter } from "@/lib/services/usage/create-meter";
import { ingestUsageEvents, type UsageEventInput } from "@/lib/services/usage/ingest-usage-events";
import { MAX_USAGE_BATCH } from "@/lib/usage/event-rules";
import { createApiKey } from "@/lib/api/keys";
import { newId } from "@/lib/ids";
import { createUser } from "@/lib/services/users/create-user";
import { setSetting } from "@/lib/services/settings/settings";
import { seedDemoApiCosts } from "./seed-api-costs";
import { seedDemoHistory } from "./seed-history";
import { rebuildMrr } from "@/lib/services/analytics/mrr";
import type { Role } from "./schema";

export const DEMO_PASSWORD = "tally-demo-pass";

export const demoUsers: { email: string; role: Role; name: string }[] = [
  { email: "subscriber@demo.tally.test", role: "subscriber", name: "Sam Subscriber" },
  { email: "support@demo.tally.test", role: "support", name: "Supi Support" },
  { email: "billing@demo.tally.test", role: "billing_admin", name: "Bill Admin" },
  { email: "finance@demo.tally.test", role: "finance_viewer", name: "Fin Viewer" },
  { email: "admin@demo.tally.test", role: "super_admin", name: "Ada Super" },
];

/**
 * The demo business its invoices come from. Its ABN is made up: 10 000 000 000 passes the ABN check
 * digits (so demo tax invoices are well-formed and the console's missing-ABN warning stays quiet)
 * but is no business's number. Replace the whole profile in Settings → Business profile.
 */
export const DEMO_BUSINESS = {
  name: "Tally Demo Pty Ltd",
  taxNumber: "10 000 000 000",
  supportEmail: "billing@demo.tally.test",
  address: "1 Example Street, Sydney NSW 2000, Australia",
  invoiceFooter: "Demo data: Tally Demo Pty Ltd and its ABN are made up. Nothing on this invoice is owed.",
} as const;

interface PlanSeed {
  code: string;
  name: string;
  description: string;
  interval: "month" | "year";
  trialDays: number;
  features: string[];
  prices: { currency: string; unitAmount: number; taxBehavior: "inclusive" | "exclusive" }[];
}

const demoPlans: PlanSeed[] = [
  {
    code: "starter",
    name: "Starter",
    description: "For individuals getting started.",
    interval: "month",
    trialDays: 0,
    features: ["1 workspace", "Resume builder", "Email support"],
    prices: [
      { currency: "aud", unitAmount: 1000, taxBehavior: "inclusive" },
      { currency: "usd", unitAmount: 700, taxBehavior: "exclusive" },
    ],
  },
  {
    code: "pro",
    name: "Pro",
    description: "For professionals who apply every week.",
    interval: "month",
    trialDays: 14,
    features: ["5 workspaces", "AI cover letters", "Job tracker", "Priority support"],
    prices: [
      { currency: "aud", unitAmount: 2900, taxBehavior: "inclusive" },
      { currency: "usd", unitAmount: 1900, taxBehavior: "exclusive" },
    ],
  },
  {
    code: "starter-annual",
    name: "Starter (annual)",
    description: "Starter, billed yearly: two months free.",
    interval: "year",
    trialDays: 0,
    features: ["Everything in Starter", "Two months free"],
    prices: [{ currency: "aud", unitAmount: 10000, taxBehavior: "inclusive" }],
  },
];

/**
 * Demo data for the embedded default: idempotent, only on an empty database. Returns what to print.
 * `usage: false` leaves the demo subscriber without a subscription (the metered plan is still in the
 * catalog), for a first sign-up from scratch. `history: false` leaves out the 18 months of
 * customers the analytics are drawn from (db/seed-history.ts).
 */
export async function seedDemo(db: Db, now: Date, opts: { usage?: boolean; history?: boolean } = {}): Promise<{ apiKey: string } | null> {
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(users);
  if (count > 0) return null;
  const product = newId("product");
  await db.insert(products).values({ id: product, name: "Tally Demo Cloud", description: "The demo SaaS product Tally bills for." });
  for (const [i, seed] of demoPlans.entries()) {
    const plan = newId("plan");
    await db.insert(plans).values({
      id: plan,
      productId: product,
      code: seed.code,
      name: seed.name,
      description: seed.description,
      interval: seed.interval,
      trialPeriodDays: seed.trialDays,
      features: seed.features.map((code) => ({ code, hard: false })),
      sortOrder: i,
    });
    await db.insert(prices).values(
      seed.prices.map((p) => ({ id: newId("price"), planId: plan, currency: p.currency, version: 1, taxBehavior: p.taxBehavior, unitAmount: p.unitAmount })),
    );
  }
  const ctx = { db, actor: systemActor("seed"), now };
  await setSetting(ctx, "business.profile", DEMO_BUSINESS);
  for (const u of demoUsers) {
    await createUser(ctx, { email: u.email, role: u.role, name: u.name, password: DEMO_PASSWORD, emailVerified: true });
  }
  const apiCalls = await seedApiCallsPlan(ctx, product);
  if (opts.history !== false) await seedDemoHistory(db, now);
  if (opts.usage !== false) await seedDemoUsage(db, now, apiCalls);
  await seedDemoApiCosts(db, now);
  // The MRR movements current from the first start (the history's outbox events are not dispatched).
  if (opts.history !== false) await rebuildMrr(db);
  const key = await createApiKey(db, { name: "Demo key", livemode: false, createdBy: "seed" });
  return { apiKey: key.key };
}

/** The demo's metered plan: API calls, counted, first 1,000 a month free, then A$0.002 (0.2 cents) each. */
export const DEMO_API_CALLS = { meter: "api_calls", plan: "api-calls", freeCalls: 1000, unitAmountDecimal: "0.2" } as const;

async function seedApiCallsPlan(ctx: { db: Db; actor: ReturnType<typeof systemActor>; now: Date }, productId: string): Promise<string> {
  await createMeter(ctx, { code: DEMO_API_CALLS.meter, name: "API calls", aggregation: "count" });
  const { prices: [price] } = await createPlan(ctx, {
    productId,
    code: DEMO_API_CALLS.plan,
    name: "API calls",
    description: "Pay per API call: the first 1,000 each month are free.",
    interval: "month",
    // A soft limit the SaaS checks (GET /customers/{id}/entitlements): warned at 80% and 100%, never refused.
    features: [{ code: "api_calls", meter: DEMO_API_CALLS.meter, limit: 5000, hard: false }],
    prices: [
      {
        currency: "aud",
        taxBehavior: "inclusive",
        usageType: "metered",
        meter: DEMO_API_CALLS.meter,
        billingScheme: "tiered",
        tiersMode: "graduated",
        tiers: [
          { up_to: DEMO_API_CALLS.freeCalls, unit_amount: 0 },
          { up_to: null, unit_amount_decimal: DEMO_API_CALLS.unitAmountDecimal },
        ],
      },
    ],
  });
  if (!price) throw new Error("the API calls plan has no price");
  // Listed after the licensed plans.
  await ctx.db.update(plans).set({ sortOrder: demoPlans.length }).where(eq(plans.id, price.planId));
  return price.id;
}

const DAY_MS = 86_400_000;

/**
 * The demo subscriber on Starter plus API calls since a month and 18 days ago: a renewal has billed
 * the first month's calls (a usage line split over the tiers) and the current period has 18 days of
 * calls so far. Events go in through the ingest service, a batch at a time, each batch at the time
 * of its last event, so every one is on time for its period.
 */
async function seedDemoUsage(db: Db, now: Date, apiCallsPrice: string): Promise<void> {
  const at = (t: Date) => ({ db, actor: systemActor("seed"), now: t });
  const [subscriber] = await db.select({ customerId: users.customerId }).from(users).where(eq(users.role, "subscriber"));
  const [starter] = await db
    .select({ id: prices.id })
    .from(prices)
    .innerJoin(plans, eq(plans.id, prices.planId))
    .where(and(eq(plans.code, "starter"), eq(prices.currency, "aud")));
  if (!subscriber?.customerId || !starter) throw new Error("the demo subscriber or Starter is missing");
  const customerId = subscriber.customerId;
  const current = new Date(now.getTime() - 18 * DAY_MS);
  const start = new Date(Date.UTC(current.getUTCFullYear(), current.getUTCMonth() - 1, current.getUTCDate(), current.getUTCHours(), current.getUTCMinutes()));
  await attachPaymentMethod(at(start), { customerId, token: "pm_card_visa" });
  const { subscription } = await createSubscription(at(start), { customerId, items: [{ priceId: starter.id, quantity: 1 }, { priceId: apiCallsPrice, quantity: 1 }] });
  const renewal = subscription.currentPeriodEnd;
  await ingestCalls(at, customerId, demoCallTimes(start, renewal, 1), "p1");
  await processDueSubscription(at(new Date(renewal.getTime() + 60_000)), subscription.id);
  await ingestCalls(at, customerId, demoCallTimes(renewal, now, 2), "p2");
}

/** Calls per day between 30 and 140, busier on weekdays, at steady times through each day; reproducible from `seed`. */
export function demoCallTimes(from: Date, to: Date, seed: number): Date[] {
  let state = seed >>> 0;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const times: Date[] = [];
  for (let day = from.getTime(); day < to.getTime(); day += DAY_MS) {
    const weekday = new Date(day).getUTCDay() % 6 !== 0;
    const calls = Math.round((weekday ? 70 : 30) + random() * (weekday ? 70 : 25));
    const end = Math.min(day + DAY_MS, to.getTime());
    for (let i = 0; i < calls; i++) times.push(new Date(day + Math.floor(((i + random()) / calls) * (end - day))));
  }
  return times.filter((t) => t < to);
}

async function ingestCalls(at: (t: Date) => { db: Db; actor: ReturnType<typeof systemActor>; now: Date }, customerId: string, times: readonly Date[], prefix: string): Promise<void> {
  for (let i = 0; i < times.length; i += MAX_USAGE_BATCH) {
    const batch = times.slice(i, i + MAX_USAGE_BATCH);
    const events: UsageEventInput[] = batch.map((timestamp, k) => ({ identifier: `demo-${prefix}-${i + k}`, meter: DEMO_API_CALLS.meter, customer: customerId, timestamp, properties: { endpoint: k % 3 === 0 ? "/v1/search" : "/v1/items" } }));
    const last = batch.at(-1) ?? new Date();
    const outcomes = await ingestUsageEvents(at(new Date(last.getTime() + 1000)), events);
    const refused = outcomes.find((o) => o.status === "rejected");
    if (refused) throw new Error(`demo usage refused: ${JSON.stringify(refused)}`);
  }
}

export function demoBanner(apiKey: string | null, url: string): string {
  const rows = demoUsers.map((u) => `    ${u.role.padEnd(15)} ${u.email}`).join("\n");
  return [
    "",
    "  Tally is running with demo data.",
    `  Open ${url}  (portal)  and  ${url}/admin  (admin console)`,
    "",
    `  Demo logins (password: ${DEMO_PASSWORD}):`,
    rows,
    "",
    apiKey
      ? `  Demo test API key (shown once): ${apiKey}`
      : "  The demo API key was printed at first start; create another with: npm run tally -- create-api-key --name NAME --test",
    "  Test card: 4242 4242 4242 4242, any future expiry, any CVC.",
    `  Invoices come from ${DEMO_BUSINESS.name}, ABN ${DEMO_BUSINESS.taxNumber}: both made up (Settings → Business profile).`,
    "",
  ].join("\n");
}
