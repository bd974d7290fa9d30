import type { Page } from "@playwright/test";
import { expect, newSubscriber, signInAs, test } from "./fixtures";

async function shots(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: `test-results/screens/${name}-375.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
}

test("a renewal on …0341 fails; staff open the payment-failed email, its 'Update your card' link leads the subscriber to add 4242, which pays the invoice at once", async ({ page, browser, baseURL, api, tally }) => {
  // A subscriber on a test clock, paid the first month with 4242, then switched to a card that attaches but fails every charge.
  const start = new Date();
  const clock = await api("/test_clocks", { method: "POST", body: { frozen_time: start.toISOString(), name: "dunning e2e" } });
  expect(clock.status).toBe(200);
  const { customerId, email, subscriptionId } = await newSubscriber(page, tally, { name: "Dana Dunning", card: "pm_card_visa", plan: "starter", customer: { test_clock: String(clock.body.id) } });
  const failing = await api(`/customers/${customerId}/payment_methods`, { method: "POST", body: { token: "pm_card_chargeCustomerFail" } });
  expect(failing.status).toBe(200);
  expect((await api(`/customers/${customerId}`, { method: "PATCH", body: { default_payment_method: failing.body.id } })).status).toBe(200);

  // The renewal falls due a month later and its charge fails. The clock stops an hour after it,
  // before the first retry (a day later on the default schedule) could send a second email.
  const subscription = await api(`/subscriptions/${subscriptionId}`);
  const later = new Date(Date.parse(String(subscription.body.current_period_end)) + 3_600_000);
  expect((await api(`/test_clocks/${String(clock.body.id)}/advance`, { method: "POST", body: { frozen_time: later.toISOString() } })).status).toBe(200);
  const open = await api(`/invoices?customer=${customerId}&status=open`);
  const renewal = (open.body.data as { id: string; number: string; amount_remaining: number }[])[0]!;
  expect(renewal.amount_remaining).toBe(1000);

  // Staff open the email in the mailbox and read its "Update your card" link.
  const staff = await browser.newContext();
  await signInAs(staff, "support", baseURL!);
  const mailbox = await staff.newPage();
  const row = mailbox.getByRole("row", { name: new RegExp(email.replace(/[.+]/g, "\\$&")) }).getByRole("link", { name: `Your payment for invoice ${renewal.number} did not go through` });
  await expect
    .poll(async () => {
      await mailbox.goto("/admin/emails");
      return row.count();
    })
    .toBe(1);
  await row.click();
  const update = mailbox.frameLocator('iframe[title="Email preview"]').getByRole("link", { name: "Update your card" });
  const href = (await update.getAttribute("href")) ?? "";
  expect(href).toBe(`${baseURL}/payment-methods/add`);
  await staff.close();

  // The subscriber follows it, already signed in, and adds 4242 as the default.
  await page.goto(href);
  await expect(page.getByRole("heading", { name: "Add a card" })).toBeVisible();
  await expect(page.getByText(`We'll charge invoice ${renewal.number} ($10.00) to this card right away.`)).toBeVisible();
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await expect(page.getByLabel("Use as my default card")).toBeChecked();
  await shots(page, "dunning-add-card");
  await page.getByRole("button", { name: "Save card and pay" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Visa ending 4242 is now your default card." })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: `Invoice ${renewal.number} for $10.00 is now paid.` })).toBeVisible();
  await shots(page, "dunning-paid");

  // Paid once, with the new card.
  const invoice = await api(`/invoices/${renewal.id}`);
  expect(invoice.body).toMatchObject({ status: "paid", amount_paid: 1000, amount_remaining: 0 });
  await page.goto("/payment-methods");
  const visas = page.getByTestId("saved-card").filter({ has: page.getByText("Visa ending 4242", { exact: true }) });
  await expect(visas).toHaveCount(2);
  await expect(visas.getByText("Default", { exact: true })).toHaveCount(1);
  await expect(visas.last().getByText("Default", { exact: true })).toBeVisible();
});
