import type { Page } from "@playwright/test";
import { expect, newSubscriber, test } from "./fixtures";

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: `test-results/screens/${name}-375.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("pause for two months: paused until that day; resume now charges a new period", async ({ page, api, tally }) => {
  const { subscriptionId } = await newSubscriber(page, tally, { card: "pm_card_visa", plan: "starter" });
  await page.goto("/");
  const card = page.getByRole("region", { name: "Starter" });
  await expect(card.getByText("Active", { exact: true })).toBeVisible();
  await expect(card.getByTestId("next-invoice")).toContainText("$10.00");
  await shoot(page, "overview-active");

  await card.getByRole("button", { name: "Pause subscription" }).click();
  const dialog = page.getByRole("dialog", { name: "Pause your subscription?" });
  await dialog.getByRole("radio", { name: /^2 months/ }).check();
  const until = (await dialog.getByRole("radio", { name: /^2 months/ }).locator("xpath=..").textContent())?.match(/until (.+)$/)?.[1];
  expect(until).toMatch(/^\d{1,2} \w{3} \d{4}$/);
  await expect(dialog).toContainText(`Billing stops today and resumes on ${until}`);
  await shoot(page, "overview-pause-dialog");
  await dialog.getByRole("button", { name: `Pause until ${until}` }).click();

  await expect(page.getByText(`Your subscription is paused. Billing resumes on ${until}.`)).toBeVisible();
  await expect(card.getByText("Paused", { exact: true })).toBeVisible();
  await expect(card.getByText(`Paused until ${until}`)).toBeVisible();
  await shoot(page, "overview-paused");
  const paused = await api(`/subscriptions/${subscriptionId}`);
  expect(paused.body.status).toBe("paused");

  await card.getByRole("button", { name: "Resume now" }).click();
  const resume = page.getByRole("dialog", { name: "Resume your subscription now?" });
  await expect(resume).toContainText(/You'll be charged \$\d+\.\d\d today for a new period/);
  await resume.getByRole("button", { name: "Resume now" }).click();
  await expect(page.getByText("Welcome back! Your subscription is active again.")).toBeVisible();
  await expect(card.getByText("Active", { exact: true })).toBeVisible();
  expect((await api(`/subscriptions/${subscriptionId}`)).body.status).toBe("active");
});

test("set to cancel at the period end (through the API): the overview says when, and Keep my subscription reactivates it", async ({ page, api, tally }) => {
  const { subscriptionId } = await newSubscriber(page, tally, { card: "pm_card_visa", plan: "starter" });
  expect((await api(`/subscriptions/${subscriptionId}/cancel`, { method: "POST", body: { at_period_end: true } })).status).toBe(200);
  await page.goto("/");
  const card = page.getByRole("region", { name: "Starter" });
  const notice = card.getByRole("status").filter({ hasText: /Cancels on \d{1,2} \w{3} \d{4}/ });
  await expect(notice).toBeVisible();
  await expect(card.getByText("None: your subscription ends before then.")).toBeVisible();
  await shoot(page, "overview-canceling");
  await notice.getByRole("button", { name: "Keep my subscription" }).click();
  await expect(page.getByText(/Your subscription will continue\. It renews on/)).toBeVisible();
  await expect(card.getByText(/Cancels on/)).toHaveCount(0);
  expect((await api(`/subscriptions/${subscriptionId}`)).body.cancel_at_period_end).toBe(false);
});

test("a first payment that failed: the overview asks to fix it and links to the open invoice", async ({ page, tally }) => {
  const { invoiceId } = await newSubscriber(page, tally, { card: "pm_card_chargeCustomerFail", plan: "starter" });
  await page.goto("/");
  const card = page.getByRole("region", { name: "Starter" });
  const alert = card.getByRole("alert").filter({ hasText: "Your first payment isn't complete" });
  await expect(alert).toContainText("$10.00 is due.");
  await expect(alert.getByRole("link", { name: "Fix payment" })).toHaveAttribute("href", `/invoices/${invoiceId}`);
  await expect(alert.getByRole("link", { name: "Update card" })).toHaveAttribute("href", "/payment-methods/add");
  await shoot(page, "overview-payment-failed");
});
