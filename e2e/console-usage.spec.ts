import type { Page } from "@playwright/test";
import { expect, signInAs, test } from "./fixtures";

type Api = Parameters<Parameters<typeof test>[2]>[0]["api"];

test.use({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC" });
const unique = () => Date.now().toString(36);

/** Screenshots at 1280 and 375 px; at 375 nothing may stick out sideways. */
async function shoot(page: Page, name: string) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.screenshot({ path: `test-results/screens/console-usage-${name}-${width}.png`, fullPage: true });
    const scroll = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, limit: document.documentElement.clientWidth }));
    expect(scroll.width, `${name} at ${width} px`).toBeLessThanOrEqual(scroll.limit);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Content-Security-Policy violations the page reports (the chart must draw without inline style attributes). */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  void page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  page.on("console", (m) => {
    if (/Content.Security.Policy|CSP violation/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

/** A customer subscribed to Starter now: usage from the days before is late (its period was already invoiced). */
async function subscribedCustomer(api: Api, name: string) {
  const customer = await api("/customers", { method: "POST", body: { email: `usage-${unique()}@example.com`, name, currency: "aud", timezone: "Australia/Sydney", address: { country: "AU" } } });
  expect(customer.status).toBe(200);
  const customerId = String(customer.body.id);
  expect((await api(`/customers/${customerId}/payment_methods`, { method: "POST", body: { token: "pm_card_visa" } })).status).toBe(200);
  const plans = await api("/plans?code=starter");
  const price = (plans.body.data as { prices: { id: string; currency: string }[] }[])[0]!.prices.find((p) => p.currency === "aud")!;
  const sub = await api("/subscriptions", { method: "POST", body: { customer: customerId, items: [{ price: price.id, quantity: 1 }] } });
  expect(sub.status).toBe(200);
  return customerId;
}

test("meters in the catalog: an empty-safe list, a new meter and a new version, each confirmed", async ({ page, context, baseURL }) => {
  await signInAs(context, "billing_admin", baseURL!);
  await page.goto("/admin/catalog/meters");
  await expect(page.getByRole("heading", { name: "Meters", level: 1 })).toBeVisible();

  const code = `storage_${unique()}`;
  await page.getByLabel("Code", { exact: true }).fill(code);
  await page.getByLabel("Name", { exact: true }).fill("Storage");
  await page.getByLabel("Aggregation", { exact: true }).selectOption("max");
  await page.getByLabel("Property", { exact: true }).fill("gb");
  await page.getByRole("button", { name: "Create meter…" }).click();
  const confirm = page.getByRole("dialog", { name: "Create this meter?" });
  await expect(confirm).toContainText(`Storage (${code}) will measure the largest gb for each customer.`);
  await confirm.getByRole("button", { name: "Create meter" }).click();
  await expect(page.getByRole("heading", { name: "Storage", level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: `Versions of ${code}` }).getByRole("row")).toHaveCount(2);

  // A new version: the confirmation says it applies to new periods.
  await page.getByLabel("Filters", { exact: true }).fill("region = au, nz");
  await page.getByRole("button", { name: "Create version…" }).click();
  const version = page.getByRole("dialog", { name: `Create version 2 of ${code}?` });
  await expect(version).toContainText("This makes version 2 the current definition");
  await expect(version).toContainText("periods that are already open keep being measured by version 1 until they end");
  await version.getByRole("button", { name: "Create version" }).click();
  await expect(page.getByText(`Version 2 is now the current definition of ${code}.`)).toBeVisible();
  const versions = page.getByRole("table", { name: `Versions of ${code}` });
  await expect(versions.getByRole("row", { name: /v2 Active/ })).toBeVisible();
  await expect(versions.getByRole("row", { name: /v1 Replaced/ })).toBeVisible();
  await shoot(page, "meter");

  await page.goto("/admin/catalog/meters");
  const row = page.getByRole("row", { name: new RegExp(code) });
  await expect(row).toContainText("Maximum");
  await expect(row).toContainText("region: au, nz");
  await expect(row).toContainText("v2");
  await shoot(page, "meters");

  // Support reads the catalog but gets no forms.
  await context.clearCookies();
  await signInAs(context, "support", baseURL!);
  await page.goto("/admin/catalog/meters");
  await expect(page.getByRole("row", { name: new RegExp(code) })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create meter…" })).toHaveCount(0);
});

test("a customer's usage tab: totals, the daily chart, searching events, late events, re-aggregating, and usage in the timeline", async ({ page, context, baseURL, api }) => {
  const suffix = unique();
  const calls = await api("/meters", { method: "POST", body: { code: `api_calls_${suffix}`, name: "API calls", aggregation: "count" } });
  const tokens = await api("/meters", { method: "POST", body: { code: `tokens_${suffix}`, name: "Tokens", aggregation: "sum", value_property: "tokens" } });
  expect([calls.status, tokens.status]).toEqual([200, 200]);
  const customerId = await subscribedCustomer(api, "Uma Usage");
  const violations = cspViolations(page);

  // Empty state before any usage.
  await signInAs(context, "billing_admin", baseURL!);
  await page.goto(`/admin/customers/${customerId}?tab=usage`);
  await expect(page.getByText("No usage reported yet")).toBeVisible();

  const now = Date.now();
  const events = [
    // Before the subscription started: its period is invoiced, so these are late.
    ...[1, 2, 3, 4, 5].flatMap((d) => [
      { identifier: `late-${suffix}-${d}`, meter: `api_calls_${suffix}`, customer: customerId, timestamp: new Date(now - d * 86_400_000).toISOString(), properties: { route: "/v1/search" } },
      { identifier: `tok-${suffix}-${d}`, meter: `tokens_${suffix}`, customer: customerId, timestamp: new Date(now - d * 86_400_000).toISOString(), properties: { tokens: d * 100, model: "large" } },
    ]),
    // Now, in the open period.
    ...[1, 2, 3].map((n) => ({ identifier: `now-${suffix}-${n}`, meter: `api_calls_${suffix}`, customer: customerId, properties: { route: n === 3 ? "/v1/export" : "/v1/search" } })),
  ];
  const batch = await api("/usage_events/batch", { method: "POST", body: { events } });
  expect(batch.status).toBe(202);
  expect(batch.body).toMatchObject({ accepted: 13, duplicates: 0, rejected: [] });

  await page.goto(`/admin/customers/${customerId}?tab=usage`);
  const totals = page.getByRole("table", { name: /Usage per meter/ });
  await expect(totals.getByRole("row", { name: /API calls/ }).getByRole("cell").nth(1)).toHaveText("3"); // the current period: the on-time calls
  await expect(totals.getByRole("row", { name: /API calls/ }).getByRole("cell").last()).toHaveText("8");
  await expect(totals.getByRole("row", { name: /Tokens/ }).getByRole("cell").last()).toHaveText("1,500");
  await expect(page.getByRole("heading", { name: "Daily usage: API calls" })).toBeVisible();
  await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await page.locator(".recharts-bar-rectangle").last().hover();
  await expect(page.locator(".recharts-tooltip-wrapper")).toContainText("API calls");
  const list = page.getByRole("table", { name: "Usage events" });
  await expect(list.getByRole("row")).toHaveCount(14);
  await expect(list.getByRole("row", { name: new RegExp(`late-${suffix}-1`) })).toContainText("Late");
  await expect(list.getByRole("row", { name: new RegExp(`now-${suffix}-1`) })).not.toContainText("Late");
  await shoot(page, "tab");

  // The chart shows another meter.
  await page.getByRole("combobox", { name: "Meter" }).first().selectOption(`tokens_${suffix}`);
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Daily usage: Tokens" })).toBeVisible();

  // Search by property text, then by identifier; late only.
  await page.getByLabel("Search events").fill("V1/EXPORT");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(list.getByRole("row")).toHaveCount(2);
  await expect(list).toContainText(`now-${suffix}-3`);
  await expect(page.getByRole("heading", { name: "Daily usage: Tokens" })).toBeVisible();
  await page.getByLabel("Search events").fill(`tok-${suffix}-4`);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(list.getByRole("row")).toHaveCount(2);
  await page.getByLabel("Search events").fill("no-such-event");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByText("No events match")).toBeVisible();
  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page).not.toHaveURL(/[?&]q=/);
  await expect(list.getByRole("row")).toHaveCount(14);
  await page.getByLabel("Late only").check();
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(list.getByRole("row")).toHaveCount(11);
  await shoot(page, "search");

  // Re-aggregate, confirmed, with its result.
  await page.getByRole("button", { name: "Re-aggregate…" }).click();
  const dialog = page.getByRole("dialog", { name: "Rebuild this customer's usage rollups?" });
  await expect(dialog.getByTestId("money-effect")).toContainText("computes them again from their stored events");
  await shoot(page, "reaggregate-dialog");
  await dialog.getByRole("button", { name: "Re-aggregate", exact: true }).click();
  await expect(page.getByText(/Rebuilt \d+ rollup rows from the raw events\. They already matched the events: nothing changed\./).first()).toBeVisible();
  await expect(page.getByTestId("last-rebuild")).toContainText("nothing needed repair");
  await expect(totals.getByRole("row", { name: /Tokens/ }).getByRole("cell").last()).toHaveText("1,500");

  // The timeline: a daily usage entry per meter, and the rebuild.
  await page.goto(`/admin/customers/${customerId}?tab=timeline&kinds=usage`);
  await expect(page.getByText(/Usage of Tokens on .*: 500 \(sum of 1 event, 1 late\)/)).toBeVisible();
  await expect(page.getByText(/Usage of API calls on .*: 1 event, 1 late/).first()).toBeVisible();
  await page.goto(`/admin/customers/${customerId}?tab=timeline`);
  await expect(page.getByText("Usage rollups rebuilt from the raw events: nothing needed repair")).toBeVisible();
  await shoot(page, "timeline");

  // Support sees usage but cannot rebuild it.
  await context.clearCookies();
  await signInAs(context, "support", baseURL!);
  await page.goto(`/admin/customers/${customerId}?tab=usage`);
  await expect(totals).toBeVisible();
  await expect(page.getByRole("button", { name: "Re-aggregate…" })).toHaveCount(0);
  expect(violations).toEqual([]);
});

test("a usage spend threshold set, changed and cleared from the subscription, each confirmed", async ({ page, context, baseURL, api }) => {
  const customer = await api("/customers", { method: "POST", body: { email: `spend-${unique()}@example.com`, name: "Sam Spend", currency: "aud", timezone: "Australia/Sydney", address: { country: "AU" } } });
  const customerId = String(customer.body.id);
  expect((await api(`/customers/${customerId}/payment_methods`, { method: "POST", body: { token: "pm_card_visa" } })).status).toBe(200);
  const plans = await api("/plans?code=api-calls");
  const price = (plans.body.data as { prices: { id: string; currency: string }[] }[])[0]!.prices.find((p) => p.currency === "aud")!;
  const sub = await api("/subscriptions", { method: "POST", body: { customer: customerId, items: [{ price: price.id }] } });
  expect(sub.status).toBe(200);

  await signInAs(context, "billing_admin", baseURL!);
  await page.goto(`/admin/customers/${customerId}?tab=subscriptions`);
  await page.getByRole("button", { name: "Set usage spend threshold" }).click();
  const dialog = page.getByRole("dialog", { name: /Usage spend threshold for/ });
  await dialog.getByLabel("Amount (AUD)").fill("abc");
  await expect(dialog).toContainText("Enter an amount like 50.00.");
  await dialog.getByLabel("Amount (AUD)").fill("50");
  await expect(dialog).toContainText("reaches 80% and 100% of $50.00");
  await shoot(page, "spend-threshold-dialog");
  await dialog.getByRole("button", { name: "Save threshold" }).click();
  await expect(page.getByText("Usage spend threshold set to $50.00.")).toBeVisible();
  await expect(page.getByText("$50.00 — notified at 80% and 100% each period")).toBeVisible();
  expect((await api(`/subscriptions/${String(sub.body.id)}`)).body.usage_spend_threshold).toBe(5000);

  await page.getByRole("button", { name: "Change usage spend threshold" }).click();
  const again = page.getByRole("dialog", { name: /Usage spend threshold for/ });
  await expect(again.getByLabel("Amount (AUD)")).toHaveValue("50.00");
  await again.getByLabel("Amount (AUD)").fill("");
  await expect(again).toContainText("Clear the threshold");
  await again.getByRole("button", { name: "Save threshold" }).click();
  await expect(page.getByText("Usage spend threshold cleared.")).toBeVisible();
  await expect(page.getByText("notified at 80% and 100% each period")).toHaveCount(0);
  expect((await api(`/subscriptions/${String(sub.body.id)}`)).body.usage_spend_threshold).toBeNull();
});
