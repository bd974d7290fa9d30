import fs from "node:fs";
import type { Page } from "@playwright/test";
import { expect, signInAs, test } from "./fixtures";

test.use({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC" });

const RULES = [
  "Periods not invoiced",
  "Past due, nothing collecting",
  "Coupons discounting past their end",
  "Gateway payments not recorded",
  "Usage not billed",
  "Cards expiring before renewal",
];

/** Screenshots at 1280 and 375 px; at 375 nothing may stick out sideways. */
async function shoot(page: Page, name: string) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.screenshot({ path: `test-results/screens/admin-leakage-${name}-${width}.png`, fullPage: true });
    const scroll = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, limit: document.documentElement.clientWidth }));
    expect(scroll.width, `${name} at ${width} px`).toBeLessThanOrEqual(scroll.limit);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Every rule has its section: a count and amount badge, and either its items or "Nothing found.". */
async function expectEveryRule(page: Page) {
  for (const title of RULES) {
    const section = page.getByRole("region", { name: title });
    await expect(section).toBeVisible();
    const items = section.getByRole("list", { name: title }).getByRole("listitem");
    if ((await items.count()) === 0) await expect(section.getByText("Nothing found.")).toBeVisible();
    else await expect(items.first().getByRole("link").first()).toHaveAttribute("href", /^\/admin\/customers\/cus_/);
  }
}

test("billing admin runs the leakage checks from the console: confirmation, progress, the run's time and every rule", async ({ page, context, baseURL, api }) => {
  // An invoice sent for payment, due a day after it was issued, three days ago on the customer's test clock: nothing collects it.
  const clock = await api("/test_clocks", { method: "POST", body: { frozen_time: new Date().toISOString(), name: "leakage e2e" } });
  const customer = await api("/customers", {
    method: "POST",
    body: { email: `leak-${Date.now().toString(36)}@example.com`, name: "Lena Late-Payer", currency: "aud", timezone: "UTC", address: { country: "AU" }, test_clock: clock.body.id },
  });
  const plans = await api("/plans?code=starter");
  const price = (plans.body.data as { prices: { id: string; currency: string }[] }[])[0]!.prices.find((p) => p.currency === "aud")!;
  const sub = await api("/subscriptions", { method: "POST", body: { customer: customer.body.id, items: [{ price: price.id }], collection_method: "send_invoice", days_until_due: 1 } });
  expect(sub.status).toBe(200);
  const invoice = await api(`/invoices/${String(sub.body.latest_invoice)}`);
  const later = new Date(Date.now() + 3 * 86_400_000).toISOString();
  expect((await api(`/test_clocks/${String(clock.body.id)}/advance`, { method: "POST", body: { frozen_time: later } })).status).toBe(200);

  await signInAs(context, "billing_admin", baseURL!);
  await page.goto("/admin");
  await page.getByRole("link", { name: "Revenue leakage" }).first().click();
  await expect(page.getByRole("heading", { name: "Revenue leakage", level: 1 })).toBeVisible();

  // Asking first: nothing runs until confirmed.
  await page.getByRole("button", { name: "Run checks now" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Run the leakage checks now?" });
  await expect(dialog).toContainText("Nothing is billed or changed.");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);

  await page.getByRole("button", { name: "Run checks now" }).first().click();
  await dialog.getByRole("button", { name: "Run checks" }).click();
  await expect(page.getByText(/^Checks finished: /)).toBeVisible();
  await expect(page.getByTestId("leakage-last-run")).toContainText(/Last run: .*\d{4}/);
  await expectEveryRule(page);
  const pastDue = page.getByRole("region", { name: "Past due, nothing collecting" });
  const item = pastDue.getByRole("listitem").filter({ hasText: "Lena Late-Payer" });
  await expect(item).toContainText(`Invoice ${String(invoice.body.number)} due`);
  await expect(item).toContainText("sent for payment; no payment attempted");
  await expect(item.getByRole("link", { name: String(invoice.body.id) })).toHaveAttribute("href", `/admin/customers/${String(customer.body.id)}?tab=invoices&invoice=${String(invoice.body.id)}`);
  await expect(page.getByTestId("leakage-count-past_due_no_retry")).not.toHaveText("0");
  for (const title of RULES) await expect(page.getByRole("navigation", { name: "Rules" }).getByRole("link", { name: new RegExp(title) })).toBeVisible();
  await shoot(page, "billing-admin");
});

test("finance viewer reads the latest run without the run button, and exports invoices, payments and MRR movements", async ({ page, context, baseURL }) => {
  await signInAs(context, "finance_viewer", baseURL!);
  await page.goto("/admin");
  await page.getByRole("link", { name: "Revenue leakage" }).first().click();
  await expect(page.getByRole("heading", { name: "Revenue leakage", level: 1 })).toBeVisible();
  await expect(page.getByTestId("leakage-last-run")).toBeVisible();
  await expect(page.getByRole("button", { name: "Run checks now" })).toHaveCount(0);
  await expectEveryRule(page);
  await shoot(page, "finance-viewer");

  await page.getByRole("link", { name: "Export invoices, payments or MRR movements" }).click();
  await expect(page.getByRole("heading", { name: "Exports", level: 1 })).toBeVisible();
  const from = `${new Date().getUTCFullYear() - 2}-01-01`;
  await page.getByLabel("From").fill(from);
  await page.getByLabel("To").fill(new Date().toISOString().slice(0, 10));
  await shoot(page, "exports");
  const expected: Record<string, RegExp> = {
    "Download invoices": /^id,number,customer_id,subscription_id,status,billing_reason,/,
    "Download payments": /^id,invoice_id,customer_id,status,currency,amount,/,
    "Download MRR movements": /^day,customer_id,currency,kind,mrr,delta,livemode$/,
  };
  for (const [button, header] of Object.entries(expected)) {
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: button }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(new RegExp(`^[a-z-]+-${from}-to-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const lines = fs.readFileSync((await file.path())!, "utf8").replace(/^\uFEFF/, "").trim().split(/\r?\n/);
    expect(lines[0]).toMatch(header);
  }
});

test("support sees neither page", async ({ page, context, baseURL }) => {
  await signInAs(context, "support", baseURL!);
  await page.goto("/admin");
  await expect(page.getByRole("link", { name: "Revenue leakage" })).toHaveCount(0);
  for (const path of ["/admin/leakage", "/admin/exports"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/admin\?denied=1$/);
  }
});
