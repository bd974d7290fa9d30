import { sql } from "drizzle-orm";
import type { Db } from "./client";
import { plans, prices, products, users } from "./schema";
import { systemActor } from "@/lib/actor";
import { createApiKey } from "@/lib/api/keys";
import { newId } from "@/lib/ids";
import { createUser } from "@/lib/services/users/create-user";
import { setSetting } from "@/lib/services/settings/settings";
import { seedDemoApiCosts } from "./seed-api-costs";
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

/** Demo data for the embedded default: idempotent, only on an empty database. Returns what to print. */
export async function seedDemo(db: Db, now: Date): Promise<{ apiKey: string } | null> {
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
      features: seed.features,
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
  await seedDemoApiCosts(db, now);
  const key = await createApiKey(db, { name: "Demo key", livemode: false, createdBy: "seed" });
  return { apiKey: key.key };
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
