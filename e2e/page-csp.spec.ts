import type { Page, Response } from "@playwright/test";
import type { Role } from "@/db/schema";
import { policyFor } from "@/lib/http/content-security-policy";
import { expect, signInAs, test } from "./fixtures";
import { portalTour } from "./portal-pages";

/** The directives of a Content-Security-Policy header, each with its sources. */
function directives(header: string): Map<string, string[]> {
  return new Map(
    header
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

/**
 * Records, from the first byte of every document, the CSP violations the browser reports (the DOM
 * event and the console), and the document response each page was served with.
 */
async function watch(page: Page): Promise<{ violations: string[]; document: () => Response }> {
  const violations: string[] = [];
  let last: Response | undefined;
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  page.on("console", (m) => {
    if (/Content Security Policy|CSP violation/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (error) => violations.push(`${page.url()}: pageerror ${error.message}`));
  page.on("response", (r) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) last = r;
  });
  return { violations, document: () => last! };
}

/** The page in view was served with a nonce policy (Stripe's allowances only on payment pages), and every script carries the nonce. */
async function expectPagePolicy(page: Page, response: Response, name: string): Promise<void> {
  const path = new URL(page.url()).pathname;
  const headers = response.headers();
  const header = headers["content-security-policy"] ?? "";
  expect(header, `${name}: a Content-Security-Policy`).not.toBe("");
  const d = directives(header);
  const scripts = d.get("script-src") ?? [];
  const nonces = scripts.filter((s) => /^'nonce-[A-Za-z0-9+/=]+'$/.test(s));
  expect(nonces, `${name}: one nonce`).toHaveLength(1);
  const allow = policyFor(path);
  const payment = allow.stripe;
  const allowedScripts = ["'self'", nonces[0]!, ...(payment ? ["https://js.stripe.com"] : [])];
  expect(scripts.filter((s) => !allowedScripts.includes(s)), `${name}: other script sources`).toEqual([]);
  expect(d.get("default-src"), name).toEqual(["'self'"]);
  expect(d.get("object-src"), name).toEqual(["'none'"]);
  expect(d.get("base-uri"), name).toEqual(["'self'"]);
  expect(d.get("frame-ancestors"), name).toEqual(["'none'"]);
  if (!payment) {
    expect(d.get("frame-src"), name).toEqual(["'none'"]);
    expect(d.get("connect-src"), name).toEqual(["'self'"]);
    // Inline styles only where an email is previewed; elsewhere stylesheets of our own or by nonce.
    expect(d.get("style-src"), `${name}: styles`).toEqual(allow.inlineStyles ? ["'self'", "'unsafe-inline'"] : ["'self'", nonces[0]!]);
    expect(header, `${name}: Stripe only on payment pages`).not.toContain("stripe.com");
  }
  expect(headers["x-frame-options"], name).toBe("DENY");
  expect(headers["x-content-type-options"], name).toBe("nosniff");
  const nonce = nonces[0]!.slice("'nonce-".length, -1);
  const tags = await page.locator("script").evaluateAll((els) => els.map((s) => ({ src: s.getAttribute("src"), nonce: (s as HTMLScriptElement).nonce })));
  expect(tags.length, `${name}: scripts`).toBeGreaterThan(0);
  // Inline scripts run only with the nonce; chunks Next loads later come from our origin ('self').
  for (const t of tags) if (!t.src) expect(t.nonce, `${name}: inline script carries the nonce`).toBe(nonce);
  for (const t of tags) if (t.src) expect(t.src, `${name}: scripts from our origin`).toMatch(/^\/_next\//);
}

test("every portal page and the sign-in pages have a nonce-based CSP and report no violation, and stay interactive", async ({ page, tally, baseURL }) => {
  test.setTimeout(240_000);
  const seen = await watch(page);
  const nonces = new Set<string>();
  await portalTour(page, tally, async (name) => {
    const response = seen.document();
    await expectPagePolicy(page, response, name);
    nonces.add(/'nonce-([^']+)'/.exec(response.headers()["content-security-policy"] ?? "")![1]!);
  });
  expect(nonces.size, "a fresh nonce for every document").toBeGreaterThan(15);

  // Interactive under the policy: the plans page's monthly/annual toggle responds.
  await signInAs(page.context(), "subscriber", baseURL!);
  await page.goto("/plans");
  const annual = page.getByRole("group", { name: "Billing interval" }).getByRole("button").last();
  await annual.click();
  await expect(annual).toHaveAttribute("aria-pressed", "true");

  // An address that matches nothing: Tally's not-found page, rendered per request with the nonce.
  expect((await page.goto("/no-such-page"))?.status()).toBe(404);
  await expectPagePolicy(page, seen.document(), "not-found");
  expect(seen.violations).toEqual([]);
});

const consolePages = [
  "/admin",
  "/admin/customers",
  "/admin/analytics",
  "/admin/queues",
  "/admin/catalog/products",
  "/admin/catalog/plans",
  "/admin/catalog/coupons",
  "/admin/retention-offers",
  "/admin/emails",
  "/admin/audit",
  "/admin/staff",
  "/admin/settings",
  "/admin/developers/api-keys",
  "/admin/developers/webhooks",
  "/admin/developers/stripe-events",
  "/admin/developers/test-clocks",
];
/** List pages whose first row opens a detail page. */
const detailOf: Record<string, string> = {
  "/admin/customers": "/admin/customers/",
  "/admin/catalog/plans": "/admin/catalog/plans/",
  "/admin/catalog/coupons": "/admin/catalog/coupons/",
  "/admin/emails": "/admin/emails/",
  "/admin/developers/test-clocks": "/admin/developers/test-clocks/",
};

test("every console page, as each staff role, has a nonce-based CSP and reports no violation; dialogs still open", async ({ page, api, baseURL }) => {
  test.setTimeout(240_000);
  const seen = await watch(page);
  await api("/test_clocks", { method: "POST", body: { frozen_time: new Date().toISOString(), name: "csp tour" } });
  await api("/coupons", { method: "POST", body: { name: `CSP tour ${Date.now().toString(36)}`, percent_off: 10, duration: "once" } });
  await signInAs(page.context(), "super_admin", baseURL!);
  for (const path of consolePages) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await page.waitForLoadState("load");
    await expectPagePolicy(page, seen.document(), path);
    const prefix = detailOf[path];
    if (!prefix) continue;
    const hrefs = await page.locator(`a[href^="${prefix}"]`).evaluateAll((els) => els.map((a) => a.getAttribute("href") ?? ""));
    const href = hrefs.find((h) => /^[\w-]+$/.test(h.slice(prefix.length)));
    expect(href, `${path} lists something to open`).toBeTruthy();
    expect((await page.goto(href!))?.status(), href!).toBe(200);
    await page.waitForLoadState("load");
    await expectPagePolicy(page, seen.document(), href!);
  }

  // Interactive under the policy: a confirmation dialog opens and closes (without revoking anything).
  await page.goto("/admin/developers/api-keys");
  await page.getByRole("button", { name: "Revoke" }).first().click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  // The other roles' homes and lists.
  for (const role of ["support", "billing_admin", "finance_viewer"] as Role[]) {
    await page.context().clearCookies();
    await signInAs(page.context(), role, baseURL!);
    for (const path of ["/admin", "/admin/customers"]) {
      expect((await page.goto(path))?.status(), `${role} ${path}`).toBe(200);
      await page.waitForLoadState("load");
      await expectPagePolicy(page, seen.document(), `${role} ${path}`);
    }
  }
  expect(seen.violations).toEqual([]);
});
