import fs from "node:fs";
import { expect, signInAs, test } from "./fixtures";

/**
 * The API reference at /api/docs: Redoc from our own origin renders /api/v1/openapi.json under the
 * page policy for /api/docs (lib/http/content-security-policy.ts), with no violation and nothing
 * fetched from elsewhere; its search runs (a blob: worker); the console links to it.
 */
const shots = process.env.E2E_SCREENSHOTS ?? "test-results/screens";

test("the API reference renders the OpenAPI document from our own origin under its CSP, searches, and fits 1280 and 375 px", async ({ page, baseURL }) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const problems: string[] = [];
  const elsewhere: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (!["blob:", "data:"].includes(url.protocol) && url.origin !== new URL(baseURL!).origin) elsewhere.push(r.url());
  });

  await page.setViewportSize({ width: 1280, height: 900 });
  const response = await page.goto("/api/docs");
  expect(response?.status()).toBe(200);
  const csp = response!.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, "a nonce in script-src").toBeTruthy();
  expect(csp).toContain(`script-src 'self' 'nonce-${nonce}';`);
  expect(csp).toContain("connect-src 'self';");
  expect(csp).toContain("worker-src 'self' blob:");
  expect(csp).not.toContain("unsafe-eval");
  expect(csp).toContain("frame-ancestors 'none'");
  const scripts = await page.locator("script").evaluateAll((els) => els.map((s) => ({ src: s.getAttribute("src"), nonce: (s as HTMLScriptElement).nonce })));
  for (const s of scripts) {
    expect(s.nonce, "every script carries the nonce").toBe(nonce);
    if (s.src) expect(s.src).toBe("/api/docs/redoc.standalone.js");
  }

  // Rendered from the document: the title, a tag, an operation with its request and responses.
  // Redoc lays the whole document out in the browser: seconds on a busy machine, more while tracing.
  await expect(page.getByRole("heading", { name: /Tally API/, level: 1 })).toBeVisible({ timeout: 45_000 });
  await page.getByRole("menuitem", { name: "Customers", exact: true }).click();
  await page.locator('li[data-item-id="tag/Customers/operation/createCustomer"]').click();
  await expect(page).toHaveURL(/#tag\/Customers\/operation\/createCustomer$/);
  await expect(page.getByRole("heading", { name: "Create a customer" }).first()).toBeVisible();
  await expect(page.getByText("application/problem+json").first()).toBeAttached();

  // Search runs in Redoc's worker (a blob: URL the policy allows).
  await page.getByPlaceholder("Search...").fill("invoice");
  await expect(page.locator('[data-role="search:results"] li').first()).toBeVisible();
  await page.getByPlaceholder("Search...").fill("");

  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/api-docs-1280.png` });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto("/api/docs#tag/Customers/operation/createCustomer");
  await expect(page.getByRole("heading", { name: "Create a customer" }).first()).toBeVisible({ timeout: 45_000 });
  await page.screenshot({ path: `${shots}/api-docs-375.png` });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "no sideways scrolling at 375 px").toBeLessThanOrEqual(0);

  const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
  expect(violations, "no CSP violation").toEqual([]);
  expect(problems.filter((p) => /Content Security Policy|Refused/i.test(p)), "no CSP refusal in the console").toEqual([]);
  expect(elsewhere, "nothing fetched from another origin").toEqual([]);
});

test("the console's Developers menu and the API keys page link to the API reference", async ({ page, context, baseURL }) => {
  await signInAs(context, "super_admin", baseURL!);
  await page.goto("/admin/developers/api-keys");
  const menu = page.locator('nav[aria-label="Admin"] a[href="/api/docs"]');
  await expect(menu).toHaveText("API reference");
  await page.getByRole("main").getByRole("link", { name: "API reference" }).click();
  await expect(page).toHaveURL(/\/api\/docs$/);
  await expect(page.getByRole("heading", { name: /Tally API/, level: 1 })).toBeVisible({ timeout: 45_000 });
});
