import type { Page } from "@playwright/test";
import { expect, newSubscriber, test } from "./fixtures";

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

/** Listens for CSP violations the browser reports on the page (console and the DOM event). */
function watchViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(message.text());
  });
  page.on("pageerror", (error) => seen.push(`pageerror: ${error.message}`));
  return seen;
}

async function open(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(400);
  await page.evaluate(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.waitForLoadState("load");
  return response!;
}

/** S6: scripts only from ourselves (Next's inline bootstrap by nonce) and Stripe.js; frames only Stripe's. */
function expectPaymentPolicy(header: string, path: string) {
  const d = directives(header);
  expect(d.get("default-src"), path).toEqual(["'self'"]);
  const scripts = d.get("script-src") ?? [];
  expect(scripts, path).toContain("'self'");
  expect(scripts, path).toContain("https://js.stripe.com");
  expect(scripts.filter((s) => !["'self'", "https://js.stripe.com"].includes(s) && !/^'nonce-[A-Za-z0-9+/=]+'$/.test(s)), `${path}: other script sources`).toEqual([]);
  expect(scripts.filter((s) => s.startsWith("'nonce-")), `${path}: one nonce`).toHaveLength(1);
  for (const [name, sources] of [["frame-src", d.get("frame-src")], ["connect-src", d.get("connect-src")]] as const) {
    expect(sources, `${path} ${name}`).toBeTruthy();
    for (const s of sources!) expect(["'self'", "https://js.stripe.com", "https://hooks.stripe.com", "https://api.stripe.com"], `${path} ${name} allows ${s}`).toContain(s);
  }
  expect(d.get("frame-src"), path).not.toContain("'self'");
  expect(d.get("object-src"), path).toEqual(["'none'"]);
  expect(d.get("base-uri"), path).toEqual(["'self'"]);
  expect(d.get("frame-ancestors"), path).toEqual(["'none'"]);
  expect(d.get("form-action"), path).toEqual(["'self'"]);
}

test("S6: every payment page answers with a strict CSP allowing only Stripe's origins, and still works", async ({ page, tally }) => {
  const violations = watchViolations(page);
  await newSubscriber(page, tally, { name: "Sam Secure" });

  // Checkout and adding a card: the policy, a fresh nonce each time, every inline script carrying it, and the form works.
  const nonces = new Set<string>();
  for (const path of ["/checkout/starter", "/checkout/pro", "/payment-methods/add", "/payment-methods/add?return=%2Finvoices"]) {
    const response = await open(page, path);
    const header = response.headers()["content-security-policy"] ?? "";
    expectPaymentPolicy(header, path);
    const nonce = /'nonce-([^']+)'/.exec(header)![1]!;
    nonces.add(nonce);
    const scripts = await page.locator("script").evaluateAll((els) => els.map((s) => ({ src: s.getAttribute("src"), nonce: (s as HTMLScriptElement).nonce })));
    expect(scripts.length, path).toBeGreaterThan(0);
    for (const s of scripts) expect(s.nonce || s.src?.startsWith("/_next/"), `${path}: script ${JSON.stringify(s)} without the nonce`).toBeTruthy();
    // Hydrated under the policy: typing a test card number is recognised by the page's own script.
    await page.getByLabel("Card number").fill("4242 4242 4242 4242");
    await expect(page.getByText(/Test card: Succeeds/)).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp), path).toEqual([]);
  }
  expect(nonces.size).toBe(4);

  // The bank's confirm step (/pay/…), reached from a checkout with the card that always asks.
  await page.goto("/checkout/starter");
  await page.getByLabel("Card number").fill("4000 0027 6000 3184");
  await page.getByRole("button", { name: /^Subscribe and pay/ }).click();
  // The server action's redirect is a client-side navigation; the document is then loaded afresh.
  await expect(page).toHaveURL(/\/pay\/[\w-]+\.[\w-]+$/);
  const payPath = new URL(page.url()).pathname;
  const pay = await open(page, payPath);
  expectPaymentPolicy(pay.headers()["content-security-policy"] ?? "", payPath);
  await expect(page.getByRole("heading", { name: "Confirm your payment" })).toBeVisible();
  // A broken link is a payment page too.
  const broken = await open(page, "/pay/not-a-token");
  expectPaymentPolicy(broken.headers()["content-security-policy"] ?? "", "/pay/not-a-token");
  // Confirming works under the policy (a server action posted by the page's own script).
  await page.goto(payPath);
  await page.getByRole("button", { name: "Confirm payment" }).click();
  await expect(page.getByRole("heading", { name: "Payment confirmed" })).toBeVisible();

  expect(violations, "CSP violations reported by the browser").toEqual([]);
});
