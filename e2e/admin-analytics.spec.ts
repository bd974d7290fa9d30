import fs from "node:fs";
import type { Page } from "@playwright/test";
import { expect, newSubscriber, signInAs, test } from "./fixtures";

test.use({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC" });

/** Screenshots at 1280 and 375 px; at 375 nothing may stick out sideways (wide tables scroll in their own box). */
async function shoot(page: Page, name: string) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    if (await page.getByTestId("mrr-chart").count()) await expect(page.getByTestId("mrr-chart").locator("svg").first()).toBeVisible();
    await page.screenshot({ path: `test-results/screens/admin-analytics-${name}-${width}.png`, fullPage: true });
    const scroll = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, limit: document.documentElement.clientWidth }));
    expect(scroll.width, `${name} at ${width} px`).toBeLessThanOrEqual(scroll.limit);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

const csvLines = (path: string) => fs.readFileSync(path, "utf8").replace(/^\uFEFF/, "").trim().split(/\r?\n/);

test("finance viewer: MRR, trends, KPIs and the waterfall from subscriptions billed through the API; range, table view, CSV", async ({ page, context, baseURL, api }) => {
  // History on a test clock: three AUD customers subscribe to Starter three months ago, one goes
  // annual; after the first renewal one cancels (churn); the clock then runs to an hour ago.
  const plans = await api("/plans");
  const priceOf = (code: string) => (plans.body.data as { code: string; prices: { id: string; currency: string }[] }[]).find((p) => p.code === code)!.prices.find((p) => p.currency === "aud")!.id;
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, 3, 12));
  const clock = await api("/test_clocks", { method: "POST", body: { frozen_time: start.toISOString() } });
  expect(clock.status).toBe(200);
  const subscriptions: string[] = [];
  for (const plan of ["starter", "starter", "starter-annual"]) {
    const customer = await api("/customers", { method: "POST", body: { email: `chart-${subscriptions.length}-${Date.now().toString(36)}@example.com`, name: `Chart customer ${subscriptions.length + 1}`, currency: "aud", address: { country: "AU" }, test_clock: clock.body.id } });
    expect(customer.status).toBe(200);
    expect((await api(`/customers/${String(customer.body.id)}/payment_methods`, { method: "POST", body: { token: "pm_card_visa" } })).status).toBe(200);
    const sub = await api("/subscriptions", { method: "POST", body: { customer: customer.body.id, items: [{ price: priceOf(plan), quantity: 1 }] } });
    expect(sub.status).toBe(200);
    subscriptions.push(String(sub.body.id));
  }
  const advance = async (to: Date) => expect((await api(`/test_clocks/${String(clock.body.id)}/advance`, { method: "POST", body: { frozen_time: to.toISOString() } })).status).toBe(200);
  await advance(new Date(start.getTime() + 40 * 86_400_000));
  expect((await api(`/subscriptions/${subscriptions[1]}/cancel`, { method: "POST", body: { at_period_end: false } })).status).toBe(200);
  await advance(new Date(now.getTime() - 3_600_000));
  const firstDay = start.toISOString().slice(0, 10);
  // The movements are written by the outbox handler after each invoice is finalized: wait for all
  // three "new" (2 × 909 + 758, net of GST) and the churn (−909).
  const movedBy = async (kind: "new" | "churn") =>
    ((await api(`/analytics/mrr?from=${firstDay}&to=${now.toISOString().slice(0, 10)}&interval=month&currency=aud`)).body.data as Record<string, number>[]).reduce((sum, p) => sum + (p[kind] ?? 0), 0);
  await expect.poll(() => movedBy("new"), { timeout: 30_000 }).toBeGreaterThanOrEqual(2576);
  await expect.poll(() => movedBy("churn"), { timeout: 30_000 }).toBeLessThanOrEqual(-909);
  const today = now.toISOString().slice(0, 10);

  await signInAs(context, "finance_viewer", baseURL!);
  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Analytics", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Analytics", level: 1 })).toBeVisible();
  await expect(page.getByTestId("mrr-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByTestId("mrr-chart").getByText("AUD")).toBeVisible();
  await expect(page.getByTestId("kpi-payment_success_rate")).toContainText("Target at least 99%");
  await expect(page.getByTestId("kpi-customer_churn_rate")).toContainText("Target at most 5%");
  await expect(page.getByTestId("trend-chart").locator(".recharts-line-dot").first()).toBeVisible();
  await expect(page.getByTestId("waterfall-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  // The latest leakage checks sit beside the charts, linking to their list.
  await expect(page.getByRole("region", { name: "Revenue leakage" }).getByRole("link", { name: "Open the checks" })).toHaveAttribute("href", "/admin/leakage");
  // Finance reads, and edits no target.
  await expect(page.getByText("Edit a target")).toHaveCount(0);
  // The three customers are one cohort, its start month 100 % of itself.
  const grid = page.getByTestId("cohort-grid");
  await expect(grid).toBeVisible();
  await expect(grid.getByRole("columnheader", { name: "Month 0" })).toBeVisible();
  const startMonth = new Intl.DateTimeFormat("en-AU", { month: "short", year: "numeric", timeZone: "UTC" }).format(start);
  const cohortRow = grid.getByRole("row").filter({ has: page.getByRole("rowheader", { name: startMonth }) });
  await expect(cohortRow.getByRole("cell").nth(2)).toContainText("100%");
  await shoot(page, "finance");

  // The grid's table view: MRR and customers per month; its CSV, one row per cell.
  const cohorts = page.getByTestId("panel-Cohorts");
  await cohorts.getByRole("button", { name: "Table" }).click();
  // The demo's own customers may share the month: its cohort holds at least these three, still there in month 0.
  await expect(cohorts.getByTestId("cohort-table")).toContainText(/\d+ of \d+ customers/);
  const cohortDownload = page.waitForEvent("download");
  await cohorts.getByRole("link", { name: "Download CSV" }).click();
  const cohortFile = await cohortDownload;
  expect(cohortFile.suggestedFilename()).toMatch(/^analytics-cohorts-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}-aud\.csv$/);
  const cohortLines = csvLines((await cohortFile.path())!);
  expect(cohortLines[0]).toBe("cohort,cohort_customers,months_since_start,month,mrr,mrr_minor_units,revenue_retention,customers,customer_retention,rate_date,currency");
  const month0 = cohortLines.map((l) => new RegExp(`^${start.toISOString().slice(0, 7)},(\\d+),0,\\d{4}-\\d{2},[\\d.]+,\\d+,1,(\\d+),[\\d.]+,`).exec(l)).find(Boolean);
  expect(Number(month0?.[1])).toBeGreaterThanOrEqual(3);
  expect(Number(month0?.[2])).toBeGreaterThanOrEqual(3);

  // The range: last 30 days is by day.
  await page.getByRole("combobox", { name: "Range" }).selectOption("30d");
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page).toHaveURL(/range=30d/);
  await expect(page.getByText(/^By day from \d{4}-\d{2}-\d{2} to /)).toBeVisible();

  // The MRR chart's table: this month's new MRR in dollars.
  const mrr = page.getByTestId("panel-MRR");
  await mrr.getByRole("button", { name: "Table" }).click();
  const table = mrr.getByRole("table", { name: "MRR and movements" });
  await expect(table).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "Expansion" })).toBeVisible();
  await expect(table.getByRole("row").last()).toContainText("$");
  await expect(mrr.getByTestId("mrr-chart")).toHaveCount(0);

  const download = page.waitForEvent("download");
  await mrr.getByRole("link", { name: "Download CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^analytics-mrr-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}-aud\.csv$/);
  const lines = csvLines((await file.path())!);
  expect(lines[0]).toBe("bucket_start,interval,mrr,mrr_minor_units,new,new_minor_units,expansion,expansion_minor_units,reactivation,reactivation_minor_units,contraction,contraction_minor_units,churn,churn_minor_units,currency");
  expect(lines).toHaveLength(31);
  expect(Number(lines[30]!.split(",")[3])).toBeGreaterThan(0);

  // A custom range and another reporting currency without a rate: a message, not an error page.
  await page.getByRole("combobox", { name: "Range" }).selectOption("custom");
  await page.getByLabel("From").fill(`${today.slice(0, 7)}-01`);
  await page.getByRole("combobox", { name: "Currency" }).selectOption("jpy");
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page.getByText("An exchange rate is missing")).toBeVisible();
  await expect(page.getByText(/No exchange rate between aud and jpy/)).toBeVisible();
  await shoot(page, "fx-missing");
});

test("finance viewer: dunning and retention-offer outcomes of the range, with their tables and CSVs", async ({ page, context, baseURL, tally }) => {
  // A card that always fails: the first invoice's payment fails and it enters dunning.
  const failing = await newSubscriber(page, tally, { card: "pm_card_chargeCustomerFail", plan: "starter" });
  expect(failing.invoiceId).toBeTruthy();
  // A subscriber who says it is too expensive and takes 25 % off.
  await newSubscriber(page, tally, { card: "pm_card_visa", plan: "starter", flow: { type: "subscription_cancel" } });
  await page.getByRole("radio", { name: "It's too expensive" }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Accept 25% off" }).click();
  await expect(page.getByText(/Thanks for staying/)).toBeVisible();

  await context.clearCookies();
  await signInAs(context, "finance_viewer", baseURL!);
  await page.goto("/admin/analytics?range=30d&currency=aud");
  // Loaded afresh (not a client navigation): the grid's shades are classes the page's CSP allows.
  const fullCell = page.getByTestId("cohort-grid").getByTestId("cohort-cell").filter({ hasText: "100%" }).first();
  await expect(fullCell).toBeVisible();
  expect(await fullCell.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe("rgba(0, 0, 0, 0)");
  expect(await fullCell.evaluate((el) => getComputedStyle(el).color)).toBe("rgb(255, 255, 255)");
  const dunning = page.getByTestId("dunning-stats");
  await expect(dunning).toBeVisible();
  const count = async (stats: ReturnType<typeof page.getByTestId>, label: string) => Number((await stats.locator("div", { has: page.getByText(label, { exact: true }) }).locator("dd").first().textContent())?.replace(/[^\d]/g, ""));
  expect(await count(dunning, "Entered dunning")).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId("dunning-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  const retention = page.getByTestId("retention-stats");
  expect(await count(retention, "Accepted an offer")).toBeGreaterThanOrEqual(1);
  await expect(retention).toContainText("MRR saved");
  await expect(page.getByTestId("retention-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await page.getByRole("heading", { name: "Dunning outcomes" }).scrollIntoViewIfNeeded();
  await shoot(page, "outcomes");

  const panel = page.getByTestId("panel-Retention");
  await panel.getByRole("button", { name: "Table" }).click();
  await expect(panel.getByRole("table", { name: "Retention offer outcomes" }).getByRole("row", { name: /Took the discount/ })).toBeVisible();
  for (const [chart, header] of [
    ["dunning", "from,to,currency,entered,recovered,lost,in_dunning,recovery_rate,"],
    ["retention", "from,to,attempts,offers_shown,accepted,accepted_discount,paused,switched_plan,contacted_support,canceled,canceled_after_offer,abandoned,in_progress,acceptance_rate,"],
  ] as const) {
    const download = page.waitForEvent("download");
    await page.getByTestId(`panel-${chart === "dunning" ? "Dunning" : "Retention"}`).getByRole("link", { name: "Download CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(new RegExp(`^analytics-${chart}-\\d{4}-\\d{2}-\\d{2}-to-\\d{4}-\\d{2}-\\d{2}-aud\\.csv$`));
    expect(csvLines((await file.path())!)[0]).toContain(header);
  }
});

test("billing admin edits a target; support is refused", async ({ browser, baseURL }) => {
  const admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await signInAs(admin, "billing_admin", baseURL!);
  const page = await admin.newPage();
  await page.goto("/admin/analytics");
  await page.getByText("Edit a target").click();
  await page.getByRole("combobox", { name: "Metric" }).selectOption("customer_churn_rate");
  await page.getByRole("combobox", { name: "Direction" }).selectOption("at_most");
  await page.getByRole("textbox", { name: "Target (%)" }).fill("3.5");
  await page.getByRole("button", { name: "Save target" }).click();
  await expect(page.getByText("Target saved: Customer churn (monthly) at most 3.5%.")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("kpi-customer_churn_rate")).toContainText("Target at most 3.5%");
  await page.getByText("Edit a target").click();
  await shoot(page, "billing-admin");

  // Exchange rates: recorded on the page, listed newest first.
  const rates = page.getByRole("region", { name: "Exchange rates", exact: true });
  await rates.getByText("Record a rate").click();
  await rates.getByRole("textbox", { name: "Base currency" }).fill("nzd");
  await rates.getByRole("textbox", { name: "Quote currency" }).fill("aud");
  await rates.getByRole("textbox", { name: "Rate" }).fill("0.9123");
  // The date defaults to today (UTC): the newest rate, listed first among today's.
  const today = new Date().toISOString().slice(0, 10);
  await expect(rates.getByRole("textbox", { name: "Date (UTC)" })).toHaveValue(today);
  await rates.getByRole("button", { name: "Record rate" }).click();
  await expect(rates.getByText(`Recorded: 1 NZD = 0.9123 AUD on ${today}.`)).toBeVisible();
  await page.reload();
  await expect(rates.getByRole("row", { name: new RegExp(`${today} 1 NZD → AUD 0\\.9123`) })).toBeVisible();
  await rates.scrollIntoViewIfNeeded();
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await rates.screenshot({ path: `test-results/screens/admin-analytics-fx-rates-${width}.png` });
  }
  await admin.close();

  const support = await browser.newContext();
  await signInAs(support, "support", baseURL!);
  const supportPage = await support.newPage();
  await supportPage.goto("/admin");
  await expect(supportPage.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Analytics", exact: true })).toHaveCount(0);
  await supportPage.goto("/admin/analytics");
  await expect(supportPage).toHaveURL(/\/admin\?denied=1$/);
  const csv = await supportPage.request.get("/admin/analytics/export.csv?chart=mrr");
  expect(csv.status()).toBe(403);
  await support.close();
});
