/**
 * API cost budgets in the console (issue 17 item 4): a billing admin creates a budget for a provider
 * and edits it, seeing this month's spend against it; a finance viewer sees the same budget and no
 * way to change it. Screenshots at 1280 and 375 px.
 */
import { expect, signInAs, test } from "./fixtures";

const PAGE = "/admin/api-costs/budgets";

test("a billing admin creates and edits a budget; a finance viewer reads it without edit controls", async ({ browser, baseURL, api }) => {
  const code = `e2e_bud_${Date.now()}`;
  const name = `Geocoder ${code.slice(-6)}`;
  const provider = await api("/cost_providers", {
    method: "POST",
    body: { code, name, regions: ["AU"], rates: [{ operation: "lookup", unit: "lookup", unit_cost_decimal: "1", currency: "aud", effective_from: "2020-01-01T00:00:00Z" }] },
  });
  expect(provider.status).toBe(200);

  const admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await signInAs(admin, "billing_admin", baseURL!);
  const page = await admin.newPage();
  await page.goto(PAGE);
  await expect(page.getByRole("heading", { name: "API cost budgets" })).toBeVisible();

  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Create budget" }) });
  await form.getByLabel("Provider").selectOption(code);
  await form.getByLabel("Monthly amount").fill("10.00");
  await form.getByLabel("Currency").fill("AUD");
  await form.getByRole("button", { name: "Create budget" }).click();
  await expect(form.getByText(`Budget for ${code} created: $10.00 a month.`)).toBeVisible();

  // 850 lookups at 1 cent: $8.50 spent this month. Recording them asks for the alerts check (the
  // local runner's api_costs.alerts job), which sends the 50% and 80% alerts.
  expect((await api("/api_costs", { method: "POST", body: { identifier: `${code}-1`, provider: code, operation: "lookup", units: 850 } })).status).toBe(201);
  const item = page.getByTestId("budget").filter({ hasText: name });
  await expect(async () => {
    await page.reload();
    await expect(item).toContainText("80% · sent", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(item).toContainText("50% · sent");
  await expect(item).not.toContainText("100% · sent");
  await expect(item).toContainText("$8.50 of $10.00");
  await expect(item).toContainText("85%");
  await expect(item.getByRole("img", { name: "85% of the budget spent" })).toBeVisible();

  // The overview's banner says so and links here.
  await page.goto("/admin");
  const banner = page.getByRole("status").filter({ hasText: "API costs are nearing their budget this month" });
  await expect(banner).toContainText(`${code}: 80% of $10.00`);
  await banner.screenshot({ path: "test-results/screens/admin-api-cost-budget-banner-1280.png" });
  await banner.getByRole("link", { name: "Review budgets" }).click();
  await expect(page).toHaveURL(new RegExp(`${PAGE}$`));

  // A second budget for the same provider and currency is refused, next to the provider.
  await form.getByLabel("Provider").selectOption(code);
  await form.getByLabel("Monthly amount").fill("12.00");
  await form.getByRole("button", { name: "Create budget" }).click();
  await expect(form.getByText(`A budget for ${code} in AUD exists already: edit it instead.`).first()).toBeVisible();

  // Edit: a bigger amount and other thresholds.
  await item.getByText("Edit budget").click();
  await page.screenshot({ path: "test-results/screens/admin-api-cost-budgets-editing-1280.png", fullPage: true });
  await item.getByLabel("Monthly amount (AUD)").fill("20.00");
  await item.getByLabel("Alert at (% of the amount)").fill("40, 90");
  await item.getByRole("button", { name: "Save budget" }).click();
  await expect(item.getByText(`Budget for ${code} saved: $20.00 a month, alerts at 40, 90%.`)).toBeVisible();
  await page.reload();
  await expect(item).toContainText("$8.50 of $20.00");
  await expect(item).toContainText("42%");
  await expect(item).toContainText("40%");
  await expect(item).toContainText("90%");

  // Bad thresholds are refused next to the field.
  await item.getByText("Edit budget").click();
  await item.getByLabel("Alert at (% of the amount)").fill("90, 40");
  await item.getByRole("button", { name: "Save budget" }).click();
  await expect(item.getByText("List alert_thresholds in ascending order, e.g. [50, 80, 100].").first()).toBeVisible();
  await page.reload();

  await page.screenshot({ path: "test-results/screens/admin-api-cost-budgets-1280.png", fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: "test-results/screens/admin-api-cost-budgets-375.png", fullPage: true });
  await admin.close();

  const finance = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await signInAs(finance, "finance_viewer", baseURL!);
  const view = await finance.newPage();
  await view.goto(PAGE);
  const seen = view.getByTestId("budget").filter({ hasText: name });
  await expect(seen).toContainText("$8.50 of $20.00");
  await expect(view.getByText("Edit budget")).toHaveCount(0);
  await expect(view.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await expect(view.getByRole("button", { name: "Create budget" })).toHaveCount(0);
  await view.screenshot({ path: "test-results/screens/admin-api-cost-budgets-finance-1280.png", fullPage: true });
  await finance.close();

  // Support does not see API costs at all.
  const support = await browser.newContext();
  await signInAs(support, "support", baseURL!);
  const refused = await support.newPage();
  await refused.goto(PAGE);
  await expect(refused).toHaveURL(/\/admin\?denied=1$/);
  await support.close();

  // The billing admin deletes it, after confirming.
  const again = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await signInAs(again, "billing_admin", baseURL!);
  const last = await again.newPage();
  await last.goto(PAGE);
  const doomed = last.getByTestId("budget").filter({ hasText: name });
  await doomed.getByRole("button", { name: "Delete" }).click();
  await expect(last.getByRole("dialog")).toContainText(`Delete the budget for ${name}?`);
  await last.getByRole("dialog").getByRole("button", { name: "Delete budget" }).click();
  await expect(last.getByText(`Budget for ${code} deleted.`)).toBeVisible();
  await expect(last.getByTestId("budget").filter({ hasText: name })).toHaveCount(0);
  await again.close();
});
