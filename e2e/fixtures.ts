import fs from "node:fs";
import { test as base, expect, type BrowserContext } from "@playwright/test";
import { encode } from "next-auth/jwt";
import type { Role } from "@/db/schema";
import { createTallyClient, type TallyClient, type operations } from "@/lib/client/tally";

interface Fixtures {
  apiKey: string;
  users: Record<Role, string>;
}

let cached: Fixtures | undefined;
export function fixtures(): Fixtures {
  cached ??= JSON.parse(fs.readFileSync(".e2e/fixtures.json", "utf8")) as Fixtures;
  return cached;
}

export const E2E_SECRET = "e2e-secret-for-playwright-only-000000";

/**
 * The newest link of `purpose` ("sign-in link", "payment confirmation link") printed for `to` in the
 * server's log (.e2e/server.log, written by scripts/e2e-server.mjs). On the mailbox transport that
 * line is the recipient's only copy: the stored email has the link withheld. Waits for it to appear.
 */
export async function printedLink(to: string, purpose: string): Promise<string> {
  const find = () => {
    const lines = fs.readFileSync(".e2e/server.log", "utf8").split("\n");
    const links = lines.flatMap((line) => {
      const m = /^\[tally\] (.+?) for (\S+) \(.*\): (\S+)$/.exec(line);
      return m && m[1] === purpose && m[2] === to ? [m[3]] : [];
    });
    return links.at(-1) ?? null;
  };
  await expect.poll(find, { message: `a ${purpose} for ${to} in .e2e/server.log` }).not.toBeNull();
  return find()!;
}

/** Sign a context in as a demo user by setting the session cookie (one test signs in through the UI). */
export async function signInAs(context: BrowserContext, role: Role, baseURL: string): Promise<void> {
  const uid = fixtures().users[role];
  const token = await encode({ token: { uid, sub: uid }, secret: E2E_SECRET });
  await context.addCookies([{ name: "next-auth.session-token", value: token, url: baseURL, httpOnly: true, sameSite: "Lax" }]);
}

type Api = (path: string, init?: { method?: string; body?: unknown; idempotencyKey?: string }) => Promise<{ status: number; body: Record<string, unknown> }>;

export const test = base.extend<{ tally: TallyClient; api: Api }>({
  /** The typed client (lib/client/tally.ts) with the seeded test-mode key. */
  tally: async ({ baseURL }, use) => {
    await use(createTallyClient({ baseUrl: baseURL!, apiKey: fixtures().apiKey }));
  },
  /** Untyped calls for setting up what a browser test then looks at. */
  api: async ({ playwright, baseURL }, use) => {
    const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${fixtures().apiKey}` } });
    await use(async (path, init = {}) => {
      const response = await request.fetch(`/api/v1${path}`, {
        method: init.method ?? "GET",
        data: init.body === undefined ? undefined : JSON.stringify(init.body),
        headers: { "content-type": "application/json", ...(init.idempotencyKey ? { "idempotency-key": init.idempotencyKey } : {}) },
      });
      return { status: response.status(), body: (await response.json()) as Record<string, unknown> };
    });
    await request.dispose();
  },
});

/** The answer of a typed call that must succeed, or an error naming what failed and the problem Tally answered. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>, what: string): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || data === undefined) throw new Error(`${what} failed (${response.status}): ${JSON.stringify(error)}`);
  return data;
}

export { expect };

/**
 * Staff (support) open the mailbox at /admin/emails until exactly `count` emails to `to` have a
 * subject matching `subject`, then open the newest; the caller closes `staff`.
 */
export async function openMail(browser: import("@playwright/test").Browser, baseURL: string, to: string, subject: RegExp, count = 1) {
  const staff = await browser.newContext();
  await signInAs(staff, "support", baseURL);
  const mailbox = await staff.newPage();
  const links = () => mailbox.getByRole("row", { name: new RegExp(to.replace(/[.+]/g, "\\$&")) }).getByRole("link", { name: subject });
  await expect
    .poll(async () => {
      await mailbox.goto("/admin/emails");
      return links().count();
    })
    .toBe(count);
  await links().first().click();
  await expect(mailbox.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  return { staff, mailbox };
}

/** Full-page screenshots at 1280 and 375 px wide (test-results/screens/<name>-1280.png, -375.png), back at 1280 after. */
export async function shoot(page: import("@playwright/test").Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `test-results/screens/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: `test-results/screens/${name}-375.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

type CreateCustomerBody = operations["createCustomer"]["requestBody"]["content"]["application/json"];
type PortalFlow = NonNullable<operations["createPortalSession"]["requestBody"]["content"]["application/json"]["flow_data"]>;

export interface NewSubscriberOptions {
  name?: string;
  email?: string;
  currency?: CreateCustomerBody["currency"];
  country?: string;
  /** A sandbox test token to attach as the default card, e.g. "pm_card_visa" or "pm_card_chargeCustomerFail". */
  card?: string;
  /** Subscribe through the API to this plan code (e.g. "starter", "pro") in the customer's currency. */
  plan?: string;
  quantity?: number;
  /** Where the portal session lands: a flow as the API takes it (flow_data). */
  flow?: PortalFlow;
  returnUrl?: string;
  /** Extra body for POST /customers (e.g. test_clock). */
  customer?: Partial<CreateCustomerBody>;
}

let subscriberCount = 0;

/**
 * A fresh customer for one test, created through the API (optionally with a card and a
 * subscription), and the browser signed in as that customer through a portal session.
 */
export async function newSubscriber(
  page: import("@playwright/test").Page,
  tally: TallyClient,
  opts: NewSubscriberOptions = {},
): Promise<{ customerId: string; email: string; subscriptionId?: string; invoiceId?: string }> {
  subscriberCount += 1;
  const email = opts.email ?? `sub-${Date.now().toString(36)}-${subscriberCount}@example.com`;
  const currency = opts.currency ?? "aud";
  const customer = await ok(
    tally.POST("/customers", {
      body: { email, name: opts.name ?? "Casey Customer", currency, timezone: "Australia/Sydney", address: { country: opts.country ?? "AU" }, ...opts.customer },
    }),
    "creating the customer",
  );
  const customerId = customer.id;
  if (opts.card) {
    await ok(tally.POST("/customers/{id}/payment_methods", { params: { path: { id: customerId } }, body: { token: opts.card } }), `attaching ${opts.card}`);
  }
  let subscriptionId: string | undefined;
  let invoiceId: string | undefined;
  if (opts.plan) {
    const plans = await ok(tally.GET("/plans", { params: { query: { code: opts.plan } } }), `finding plan ${opts.plan}`);
    const price = plans.data[0]?.prices.find((p) => p.currency === currency);
    if (!price) throw new Error(`no ${currency} price for plan ${opts.plan}`);
    const sub = await ok(tally.POST("/subscriptions", { body: { customer: customerId, items: [{ price: price.id, quantity: opts.quantity ?? 1 }] } }), "subscribing");
    subscriptionId = sub.id;
    invoiceId = sub.latest_invoice ?? undefined;
  }
  const session = await ok(
    tally.POST("/portal_sessions", {
      body: { customer: customerId, ...(opts.returnUrl ? { return_url: opts.returnUrl } : {}), ...(opts.flow ? { flow_data: opts.flow } : {}) },
    }),
    "creating the portal session",
  );
  await page.goto(session.url);
  return { customerId, email, subscriptionId, invoiceId };
}

/** A full-page screenshot at 1280 and at 375 px wide (test-results/screens/<name>-<width>.png), back at 1280 after. */
export async function screenshotWidths(page: import("@playwright/test").Page, name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 900],
    [375, 800],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `test-results/screens/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
