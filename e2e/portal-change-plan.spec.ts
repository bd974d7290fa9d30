import type { Page } from "@playwright/test";
import { expect, newSubscriber, test } from "./fixtures";

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: `test-results/screens/${name}-375.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** "$19.03" → 1903: the minor units a formatted amount shows. */
const minor = (text: string | null) => Number((text ?? "").replace(/[^\d]/g, ""));

test("upgrade: the previewed amount is exactly what is charged, today", async ({ page, api, tally }) => {
  const { subscriptionId } = await newSubscriber(page, tally, { card: "pm_card_visa", plan: "starter" });
  await page.goto("/subscription/change");
  await expect(page.getByText("Choose another plan to see what changes.")).toBeVisible();
  await page.getByRole("radio", { name: /^Pro/ }).check();
  await expect(page).toHaveURL(/price=/);
  const headline = page.getByTestId("change-headline");
  await expect(headline).toContainText(/^\$\d+\.\d\d today, then \$29\.00 on \d{1,2} \w{3} \d{4}$/);
  const today = page.getByTestId("charged-today");
  await expect(today).toContainText("Unused time on Starter");
  await expect(today).toContainText("Remaining time on Pro");
  const previewed = minor(await today.locator("dd").last().textContent());
  expect(previewed).toBeGreaterThan(0);
  await shoot(page, "change-upgrade");

  await page.getByRole("button", { name: /^Switch now and pay \$/ }).click();
  const dialog = page.getByRole("dialog", { name: "Switch to Pro now?" });
  await expect(dialog).toContainText("today for the rest of this period, then $29.00 on");
  await dialog.getByRole("button", { name: /^Pay \$[\d.]+ and switch$/ }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/");
  await expect(page.getByRole("region", { name: "Pro" }).getByText("Active", { exact: true })).toBeVisible();

  const invoices = await api(`/invoices?subscription=${subscriptionId}`);
  const [latest] = invoices.body.data as { billing_reason: string; amount_due: number; amount_paid: number; status: string }[];
  expect(latest).toMatchObject({ billing_reason: "subscription_update", status: "paid", amount_due: previewed, amount_paid: previewed });
});

test("downgrade: scheduled for the period end with nothing charged, shown on the overview, and undone", async ({ page, api, tally }) => {
  // Pro without its trial, so the subscription is active and paid.
  const { customerId } = await newSubscriber(page, tally, { card: "pm_card_visa" });
  const pro = (await api("/plans?code=pro")).body.data as { prices: { id: string; currency: string }[] }[];
  const created = await api("/subscriptions", { method: "POST", body: { customer: customerId, items: [{ price: pro[0]!.prices.find((p) => p.currency === "aud")!.id, quantity: 1 }], trial_period_days: 0 } });
  expect(created.body.status).toBe("active");
  const subscriptionId = String(created.body.id);
  await page.goto("/subscription/change");
  await page.getByRole("radio", { name: /^Starter/ }).first().check();
  const headline = page.getByTestId("change-headline");
  await expect(headline).toContainText(/^Nothing today, then \$10\.00 on \d{1,2} \w{3} \d{4}$/);
  await expect(page.getByTestId("charged-today")).toHaveCount(0);
  await shoot(page, "change-downgrade");
  await page.getByRole("button", { name: "Schedule change" }).click();
  const dialog = page.getByRole("dialog", { name: /^Change to Starter on / });
  await expect(dialog).toContainText("Nothing is charged today and you keep Pro until");
  await dialog.getByRole("button", { name: "Schedule change" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/");

  const card = page.getByRole("region", { name: "Pro" });
  const scheduled = card.getByRole("status").filter({ hasText: /Changes to Starter on \d{1,2} \w{3} \d{4}/ });
  await expect(scheduled).toBeVisible();
  await expect(card.getByTestId("next-invoice")).toContainText("Starter");
  await shoot(page, "overview-scheduled-change");
  const before = await api(`/invoices?subscription=${subscriptionId}`);
  expect((before.body.data as unknown[]).length).toBe(1);

  await scheduled.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByText("Scheduled change removed. You stay on Pro.")).toBeVisible();
  await expect(card.getByText(/Changes to Starter/)).toHaveCount(0);
  await expect(card.getByTestId("next-invoice")).toContainText("Pro");
  const sub = await api(`/subscriptions/${subscriptionId}`);
  expect(sub.body.pending_change ?? null).toBeNull();
});

test("seats: more seats are charged now, fewer seats wait for the period end", async ({ page, api, tally }) => {
  const product = await api("/products", { method: "POST", body: { name: "Team workspace" } });
  const code = `team-${Date.now().toString(36)}`;
  const plan = await api("/plans", {
    method: "POST",
    body: { product: product.body.id, code, name: "Team", interval: "month", metadata: { unit_label: "seat" }, prices: [{ currency: "nzd", tax_behavior: "exclusive", unit_amount: 1200 }] },
  });
  expect(plan.status).toBe(200);
  const { subscriptionId } = await newSubscriber(page, tally, { currency: "nzd", country: "NZ", card: "pm_card_visa", plan: code });

  await page.goto("/subscription/change");
  const seats = page.getByLabel("Number of seats");
  await expect(seats).toHaveValue("1");
  await seats.fill("3");
  const headline = page.getByTestId("change-headline");
  await expect(headline).toContainText(/^NZ\$\d+\.\d\d today, then NZ\$36\.00 on /);
  const previewed = minor(await page.getByTestId("charged-today").locator("dd").last().textContent());
  await page.getByRole("button", { name: /^Switch now and pay/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: /and switch$/ }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/");
  await expect(page.getByRole("heading", { name: "Team · 3 seats" })).toBeVisible();
  const invoices = await api(`/invoices?subscription=${subscriptionId}`);
  expect((invoices.body.data as { amount_paid: number }[])[0]?.amount_paid).toBe(previewed);

  await page.goto("/subscription/change");
  await page.getByLabel("Number of seats").fill("2");
  await expect(headline).toContainText(/^Nothing today, then NZ\$24\.00 on /);
  await page.getByRole("button", { name: "Schedule change" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Schedule change" }).click();
  await expect(page.getByRole("region", { name: "Team · 3 seats" }).getByText(/Changes to 2 seats on /)).toBeVisible();
});
