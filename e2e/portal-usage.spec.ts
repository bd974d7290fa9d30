import type { Page } from "@playwright/test";
import { expect, newSubscriber, test } from "./fixtures";

const DAY = 86_400_000;

async function shoot(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `test-results/screens/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  // The chart is drawn at the width the browser measures: let it redraw for the phone.
  await page.waitForTimeout(300);
  await page.screenshot({ path: `test-results/screens/${name}-375.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** `count` API calls spread evenly over [from, to), in batches the batch endpoint takes. */
async function reportCalls(api: Parameters<Parameters<typeof test>[2]>[0]["api"], customer: string, from: Date, to: Date, count: number, prefix: string) {
  const span = to.getTime() - from.getTime();
  for (let first = 0; first < count; first += 1000) {
    const events = Array.from({ length: Math.min(1000, count - first) }, (_, k) => ({
      identifier: `${prefix}-${customer}-${first + k}`,
      meter: "api_calls",
      customer,
      timestamp: new Date(from.getTime() + Math.floor(((first + k) / count) * span)).toISOString(),
      properties: { endpoint: "/v1/items" },
    }));
    const sent = await api("/usage_events/batch", { method: "POST", body: { events } });
    expect(sent.status, JSON.stringify(sent.body).slice(0, 500)).toBe(202);
  }
}

test("a subscriber on Starter plus API calls sees this period's calls, their cost and a daily chart, and last month's invoice splits the calls over the tiers", async ({ page, api, tally }) => {
  // The chart is drawn in the browser: the page's CSP must have nothing to refuse.
  const refused: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  const start = new Date();
  const clock = await api("/test_clocks", { method: "POST", body: { frozen_time: start.toISOString(), name: "usage e2e" } });
  expect(clock.status).toBe(200);
  const advance = async (to: Date) => expect((await api(`/test_clocks/${String(clock.body.id)}/advance`, { method: "POST", body: { frozen_time: to.toISOString() } })).status).toBe(200);
  const { customerId } = await newSubscriber(page, tally, { name: "Uma Usage", card: "pm_card_visa", customer: { test_clock: String(clock.body.id) } });
  const priceOf = async (code: string) => ((await api(`/plans?code=${code}`)).body.data as { prices: { id: string; currency: string }[] }[])[0]!.prices.find((p) => p.currency === "aud")!.id;
  const sub = await api("/subscriptions", { method: "POST", body: { customer: customerId, items: [{ price: await priceOf("starter"), quantity: 1 }, { price: await priceOf("api-calls"), quantity: 1 }] } });
  expect(sub.status, JSON.stringify(sub.body)).toBe(200);
  const renewsAt = new Date(String(sub.body.current_period_end));

  // The first month: 1,500 calls over 20 days, then the renewal bills them (500 beyond the free 1,000 at 0.2 cents = $1.00).
  await advance(new Date(start.getTime() + 20 * DAY));
  await reportCalls(api, customerId, start, new Date(start.getTime() + 20 * DAY), 1500, "m1");
  await advance(new Date(renewsAt.getTime() + 3_600_000));
  // This period: 1,234 calls over 9 days so far (234 × 0.2 = 46.8 → $0.47).
  const now = new Date(renewsAt.getTime() + 9 * DAY);
  await advance(now);
  await reportCalls(api, customerId, new Date(renewsAt.getTime() + 3_600_000), now, 1234, "m2");

  // The overview's usage card.
  await page.goto("/");
  const card = page.getByTestId("usage-summary");
  await expect(card.getByRole("heading", { name: "Usage this period" })).toBeVisible();
  await expect(card).toContainText("1,234 API calls");
  await expect(card).toContainText("$0.47");
  await shoot(page, "portal-usage-overview");

  // The Usage page, from the portal's navigation.
  await page.getByRole("navigation", { name: "Billing portal" }).getByRole("link", { name: "Usage" }).click();
  await expect(page.getByRole("heading", { name: "Usage", level: 1 })).toBeVisible();
  const item = page.getByTestId("metered-usage");
  await expect(item.getByRole("heading", { name: "API calls" })).toBeVisible();
  await expect(item.getByTestId("usage-cost")).toHaveText("$0.47");
  await expect(item.getByTestId("usage-tiers")).toHaveText("1,000 × $0.00 + 234 × $0.002");
  await expect(item.getByTestId("usage-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Limits" })).toBeVisible();
  await shoot(page, "portal-usage");
  expect(refused).toEqual([]);

  // The renewal invoice: the usage line with its quantity and how the tiers split it.
  const list = await api(`/invoices?customer=${customerId}`);
  const renewal = (list.body.data as { id: string; billing_reason: string }[]).find((i) => i.billing_reason === "subscription_cycle")!;
  await page.goto(`/invoices/${renewal.id}`);
  const line = page.getByRole("row").filter({ hasText: "API calls usage" });
  await expect(line.getByRole("cell").nth(2)).toHaveText("1,500");
  await expect(line.getByTestId("line-tiers")).toHaveText("1,000 × $0.00 + 500 × $0.002");
  await expect(line.getByRole("cell").last()).toHaveText("$1.00");
  await shoot(page, "portal-usage-invoice");

  // The plans page: annual plans can't carry the monthly add-on, and say so instead of offering a switch.
  await page.goto("/plans");
  await page.getByRole("group", { name: "Billing interval" }).getByRole("button", { name: "Annual" }).click();
  await expect(page.getByText("Your API calls add-on is billed every month: contact support to switch to this plan.").first()).toBeVisible();
  await shoot(page, "portal-usage-plans-annual");

  // Starter → Pro mid-period: Starter is prorated now; API calls stays, still counting this period's calls.
  await page.goto("/subscription/change");
  await expect(page.getByText("Your API calls add-on stays as it is: usage keeps counting and is billed at the end of the period.")).toBeVisible();
  // Only plans on the add-on's interval are offered.
  await expect(page.getByRole("group", { name: "Billing interval" })).toHaveCount(0);
  await page.getByRole("radio", { name: /^Pro/ }).check();
  await expect(page).toHaveURL(/price=/);
  // The next invoice bills Pro in advance and the calls so far ($0.47): $29.47.
  await expect(page.getByTestId("change-headline")).toContainText(/^\$\d+\.\d\d today, then \$29\.47 on \d{1,2} \w{3} \d{4}$/);
  const today = page.getByTestId("charged-today");
  await expect(today).toContainText("Unused time on Starter");
  await expect(today).toContainText("Remaining time on Pro");
  await expect(today).not.toContainText("API calls");
  await expect(page.getByTestId("next-invoice")).toContainText("API calls usage");
  const previewed = Number(((await today.locator("dd").last().textContent()) ?? "").replace(/[^\d]/g, ""));
  expect(previewed).toBeGreaterThan(0);
  await shoot(page, "portal-usage-change");

  await page.getByRole("button", { name: /^Switch now and pay \$/ }).click();
  const dialog = page.getByRole("dialog", { name: "Switch to Pro now?" });
  await dialog.getByRole("button", { name: /^Pay \$[\d.]+ and switch$/ }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/");
  await expect(page.getByText(/^Your plan has changed\. We charged \$/)).toBeVisible();
  const changed = await api(`/subscriptions/${String(sub.body.id)}`);
  expect((changed.body.items as { price: string }[]).map((i) => i.price)).toEqual([await priceOf("pro"), await priceOf("api-calls")]);
  const invoices = await api(`/invoices?subscription=${String(sub.body.id)}`);
  const [latest] = invoices.body.data as { billing_reason: string; amount_paid: number; status: string }[];
  expect(latest).toMatchObject({ billing_reason: "subscription_update", status: "paid", amount_paid: previewed });
  // The add-on kept measuring: the period's calls so far are all still counted.
  await expect(page.getByTestId("usage-summary")).toContainText("1,234 API calls");
  await shoot(page, "portal-usage-changed");
});

test("a subscriber without usage-based items sees the Usage page's empty state and no usage card", async ({ page, tally }) => {
  await newSubscriber(page, tally, { name: "Nell Nousage", card: "pm_card_visa", plan: "starter" });
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Billing overview" })).toBeVisible();
  await expect(page.getByTestId("usage-summary")).toHaveCount(0);
  await page.goto("/usage");
  await expect(page.getByText("No usage-based charges")).toBeVisible();
  await expect(page.getByText("Your plan has no usage limits.")).toBeVisible();
  await shoot(page, "portal-usage-empty");
});
