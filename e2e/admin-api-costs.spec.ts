import fs from "node:fs";
import type { Page } from "@playwright/test";
import { expect, signInAs, test } from "./fixtures";

test.use({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC" });
const unique = () => Date.now().toString(36);

/** Screenshots at 1280 and 375 px; at 375 nothing may stick out sideways (wide tables scroll in their own box). */
async function shoot(page: Page, name: string) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    if (await page.getByTestId("cost-trend-chart").count()) await expect(page.getByTestId("cost-trend-chart").locator("svg").first()).toBeVisible();
    await page.screenshot({ path: `test-results/screens/admin-api-costs-${name}-${width}.png`, fullPage: true });
    const scroll = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, limit: document.documentElement.clientWidth }));
    expect(scroll.width, `${name} at ${width} px`).toBeLessThanOrEqual(scroll.limit);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("billing admin: the month's API costs from the demo, a customer's cost on both pages, a new rate in the history, the CSV", async ({ page, context, baseURL, api }) => {
  // A customer with an attributed cost large enough to top the month's list.
  const customer = await api("/customers", { method: "POST", body: { email: `costs-${unique()}@example.com`, name: "Costly Customer", currency: "aud", address: { country: "AU" } } });
  expect(customer.status).toBe(200);
  const customerId = String(customer.body.id);
  const cost = await api("/api_costs", {
    method: "POST",
    body: { identifier: `e2e-${unique()}`, provider: "openai", operation: "prompt", region: "AU", units: 1, cost_decimal: "500", currency: "aud", customer: customerId },
  });
  expect(cost.status).toBe(201);

  await signInAs(context, "billing_admin", baseURL!);
  await page.goto("/admin");
  await page.getByRole("link", { name: "API costs" }).first().click();
  await expect(page.getByRole("heading", { name: "API costs", level: 1 })).toBeVisible();
  const providers = page.getByRole("table", { name: "Spend per provider this month" });
  for (const name of ["OpenAI (example rates)", "Geoscape (AU, example rates)", "SmartyStreets (US, example rates)"]) await expect(providers.getByRole("link", { name })).toBeVisible();
  await expect(page.getByRole("table", { name: "Spend per region this month" }).getByRole("cell", { name: "AU", exact: true })).toBeVisible();
  await expect(page.getByRole("table", { name: "Spend per operation this month" }).getByRole("cell", { name: "address_lookup" })).toBeVisible();
  await expect(page.getByTestId("cost-trend-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Budgets" })).toHaveAttribute("href", "/admin/api-costs/budgets");
  const top = page.getByRole("table", { name: "Customers by API cost this month" });
  await expect(top.getByRole("row").nth(1)).toContainText("Costly Customer");
  await expect(top.getByRole("row").nth(1)).toContainText("5.00");
  // The month picker goes back: last month is a page of its own.
  const lastMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  await page.getByRole("combobox", { name: "Month" }).selectOption(lastMonth);
  await page.getByRole("button", { name: "Show month" }).click();
  await expect(page).toHaveURL(new RegExp(`month=${lastMonth}`));
  await expect(page.getByText(/^Spend (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}$/)).toBeVisible();
  await page.goto("/admin/api-costs");
  await expect(page.getByText("Spend this month")).toBeVisible();
  await shoot(page, "page");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^api-costs-\d{4}-\d{2}-by-day\.csv$/);
  const lines = fs
    .readFileSync((await file.path())!, "utf8")
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r?\n/);
  expect(lines[0]).toBe("month,day,provider,units,costs,cost,cost_exact_minor_units,currency");
  expect(lines.length).toBeGreaterThan(1);

  // The customer's page shows the cost next to their revenue.
  await top.getByRole("link", { name: "Costly Customer" }).click();
  await expect(page.getByRole("heading", { name: "Costly Customer", level: 1 })).toBeVisible();
  await expect(page.getByTestId("customer-api-cost")).toContainText("5.00");
  await expect(page.getByTestId("customer-api-cost")).toContainText("Revenue");
  await expect(page.getByTestId("customer-api-cost")).toContainText("Gateway fees");
  await expect(page.getByTestId("customer-api-cost-month").first()).toContainText("−$5.00");
  await shoot(page, "customer");

  // A new rate supersedes the one in force; both stay in the history, newest first.
  await page.goto("/admin/api-costs");
  await providers.getByRole("link", { name: "Geoscape (AU, example rates)" }).click();
  await expect(page.getByRole("heading", { name: "Geoscape (AU, example rates)", level: 1 })).toBeVisible();
  const history = page.getByRole("table", { name: "Rates of geoscape, newest first" });
  await expect(history.locator("tr[data-rate-status=in_force]")).toHaveCount(2);
  const price = `1.${Math.floor(Math.random() * 900 + 100)}`;
  await page.getByRole("textbox", { name: "Operation", exact: true }).fill("geocode");
  await page.getByRole("combobox", { name: "Region", exact: true }).selectOption("AU");
  await page.getByRole("textbox", { name: "Unit", exact: true }).fill("lookup");
  await page.getByRole("textbox", { name: "Cost per unit (minor units)" }).fill(price);
  await page.getByRole("textbox", { name: "Currency", exact: true }).fill("aud");
  await page.getByRole("textbox", { name: "Note" }).fill("New price list");
  await page.getByRole("button", { name: "Add rate" }).click();
  await expect(page.getByText(`Rate added: geocode (AU) costs ${price} minor units of AUD per lookup`)).toBeVisible();
  const added = history.getByRole("row").filter({ hasText: `${price} AUD` });
  await expect(added).toContainText("In force");
  await expect(added).toContainText("New price list");
  await expect(history.getByRole("row").nth(1)).toContainText(`${price} AUD`);
  await shoot(page, "provider");
});

test("budgets, forecast, quota, alerts, hints and profitability on the page; rebilling on a provider; a finance viewer reads it all", async ({ browser, baseURL, api }) => {
  const code = `e2e_console_${unique()}`;
  const name = `Lookups ${code.slice(-6)}`;
  const provider = await api("/cost_providers", {
    method: "POST",
    body: { code, name, regions: ["AU"], quota: { limit: 1000, period: "month" }, rates: [{ operation: "lookup", unit: "lookup", unit_cost_decimal: "1", currency: "aud", effective_from: "2020-01-01T00:00:00Z" }] },
  });
  expect(provider.status).toBe(200);
  expect((await api("/budgets", { method: "POST", body: { provider: code, amount: 1000, currency: "aud" } })).status).toBe(200);
  const customer = await api("/customers", { method: "POST", body: { email: `lookups-${unique()}@example.com`, name: `Lookup Heavy ${code.slice(-6)}`, currency: "aud", address: { country: "AU" } } });
  // 850 lookups at 1 cent: $8.50 of the $10.00 budget (50% and 80% reached) and 850 of the 1,000-lookup quota (80%).
  // Recording them asks for the alerts check (the local runner's api_costs.alerts job): at once for the
  // first cost of a UTC minute, a minute on for a later one. The page is asked for every 5 s only: each
  // view of it reads a lot, and the check shares the server's database connections with it.
  test.setTimeout(300_000);
  const cost = await api("/api_costs", { method: "POST", body: { identifier: `${code}-1`, provider: code, operation: "lookup", region: "AU", units: 850, customer: String(customer.body.id) } });
  expect(cost.status).toBe(201);

  const admin = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC" });
  await signInAs(admin, "billing_admin", baseURL!);
  const page = await admin.newPage();
  const alerts = page.getByTestId("alert").filter({ hasText: name });
  await expect(async () => {
    await page.goto("/admin/api-costs");
    await expect(alerts.filter({ hasText: "budget at 80%" })).toBeVisible({ timeout: 1_000 });
    await expect(alerts.filter({ hasText: "quota at 80%" })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 150_000, intervals: [5_000] });

  async function expectAll(view: Page) {
    const row = view.getByRole("table", { name: "Spend per provider this month" }).getByRole("row").filter({ hasText: name });
    await expect(row).toContainText("$8.50");
    await expect(row).toContainText("$10.00");
    await expect(row.getByTestId("budget-used")).toContainText("85%");
    await expect(row.getByRole("img", { name: `${name}: 85% of the budget used` })).toHaveAttribute("data-tone", "warning");
    await expect(row.getByTestId("month-end")).toContainText("Forecast");
    await expect(view.getByTestId("spend-total")).toContainText("All providers");
    await expect(view.getByTestId("forecast-note")).toContainText("Month end is a forecast by");
    const gauge = view.getByTestId("quota-gauge").filter({ hasText: name });
    await expect(gauge).toContainText("85%");
    await expect(gauge).toContainText("850 of 1,000 units this month");
    await expect(gauge.getByRole("img", { name: `${name}: 85% of the quota used` })).toHaveAttribute("data-tone", "warning");
    const fired = view.getByTestId("alert").filter({ hasText: name });
    await expect(fired.filter({ hasText: "budget at 50%" })).toBeVisible();
    await expect(fired.filter({ hasText: "budget at 80%: $8.50 of $10.00" })).toBeVisible();
    await expect(fired.filter({ hasText: "quota at 80% this month: 850 of 1,000 units" })).toBeVisible();
    await expect(view.getByTestId("hint").filter({ hasText: `${code} has used 85% of its monthly quota` })).toBeVisible();
    const unprofitable = view.getByRole("table", { name: "Unprofitable customers this month" });
    await expect(unprofitable.getByRole("row").filter({ hasText: `Lookup Heavy ${code.slice(-6)}` })).toContainText("−$8.50");
    await expect(view.getByRole("table", { name: "Margin per plan this month" })).toBeVisible();
  }
  await expectAll(page);
  await shoot(page, "console");

  // The customer's card: revenue net of tax, the API cost, fees and the margin.
  await page.getByRole("table", { name: "Unprofitable customers this month" }).getByRole("link", { name: `Lookup Heavy ${code.slice(-6)}` }).click();
  const card = page.getByTestId("customer-api-cost-month").first();
  await expect(card).toContainText("$0.00");
  await expect(card).toContainText("$8.50");
  await expect(card).toContainText("−$8.50");
  await shoot(page, "customer-margin");

  // Rebilling: an unknown meter is refused next to the field; a sum meter is accepted after the confirmation; then off.
  const meter = `passthrough_${unique()}`;
  expect((await api("/meters", { method: "POST", body: { code: meter, name: "API pass-through", aggregation: "sum", value_property: "amount" } })).status).toBe(200);
  await page.goto(`/admin/api-costs/providers/${String(provider.body.id)}`);
  const rebill = page.getByTestId("rebill");
  await expect(rebill).toContainText("Not rebilled");
  await rebill.getByRole("textbox", { name: "Meter" }).fill("no_such_meter");
  await rebill.getByRole("textbox", { name: "Markup (%)" }).fill("20");
  await rebill.getByRole("button", { name: "Switch rebilling on" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Switch on" }).click();
  await expect(rebill.getByText('No meter has the code "no_such_meter".').first()).toBeVisible();
  await rebill.getByRole("textbox", { name: "Meter" }).fill(meter);
  await rebill.getByRole("button", { name: "Switch rebilling on" }).click();
  await expect(page.getByRole("dialog")).toContainText(`feeds the meter ${meter} with the cost plus 20%, in AUD`);
  await page.getByRole("dialog").getByRole("button", { name: "Switch on" }).click();
  await expect(rebill.getByText(`Rebilling on: costs attributed to a customer feed ${meter} at cost + 20% in AUD, from now on.`)).toBeVisible();
  await page.reload();
  await expect(rebill).toContainText(meter);
  await expect(rebill).toContainText("20%");
  await shoot(page, "provider-rebill");
  await rebill.getByRole("button", { name: "Stop rebilling" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Stop rebilling" }).click();
  await expect(page.getByText("Rebilling off: costs recorded from now on are tracked only.")).toBeVisible();
  await expect(rebill).toContainText("Not rebilled");
  await admin.close();

  // The finance viewer sees the same figures, with no way to change rebilling.
  const finance = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC" });
  await signInAs(finance, "finance_viewer", baseURL!);
  const view = await finance.newPage();
  await view.goto("/admin/api-costs");
  await expectAll(view);
  await view.goto(`/admin/api-costs/providers/${String(provider.body.id)}`);
  await expect(view.getByTestId("rebill")).toContainText("Not rebilled");
  await expect(view.getByRole("button", { name: /rebilling/i })).toHaveCount(0);
  await finance.close();
});

test("finance viewer reads API costs and providers without any edit control; support is refused", async ({ browser, baseURL }) => {
  const finance = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await signInAs(finance, "finance_viewer", baseURL!);
  const page = await finance.newPage();
  await page.goto("/admin/api-costs");
  await expect(page.getByRole("table", { name: "Spend per provider this month" }).getByRole("link", { name: "OpenAI (example rates)" })).toBeVisible();
  await page.getByRole("link", { name: "Providers", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Providers", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "New provider" })).toHaveCount(0);
  await page.getByRole("link", { name: "OpenAI (example rates)" }).click();
  await expect(page.getByRole("table", { name: "Rates of openai, newest first" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Add a rate" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Edit provider" })).toHaveCount(0);
  await expect(page.locator("main form, main input, main textarea")).toHaveCount(0);
  await finance.close();

  const support = await browser.newContext();
  await signInAs(support, "support", baseURL!);
  const supportPage = await support.newPage();
  await supportPage.goto("/admin");
  await expect(supportPage.getByRole("link", { name: "API costs" })).toHaveCount(0);
  for (const path of ["/admin/api-costs", "/admin/api-costs/providers"]) {
    await supportPage.goto(path);
    await expect(supportPage).toHaveURL(/\/admin\?denied=1$/);
    await expect(supportPage.getByText("Your role does not have access to that page.")).toBeVisible();
  }
  const csv = await supportPage.request.get("/admin/api-costs/export.csv");
  expect(csv.status()).toBe(403);
  await support.close();
});
