import type { Page } from "@playwright/test";
import { expect, newSubscriber, signInAs, test } from "./fixtures";

/** Neither the page nor any table region scrolls sideways. */
async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => {
    const wide: string[] = [];
    const root = document.scrollingElement!;
    if (root.scrollWidth > root.clientWidth) wide.push(`page ${root.scrollWidth} > ${root.clientWidth}`);
    for (const region of document.querySelectorAll<HTMLElement>('[role="region"]')) {
      if (region.scrollWidth > region.clientWidth + 1) wide.push(`${region.getAttribute("aria-label")}: ${region.scrollWidth} > ${region.clientWidth}`);
    }
    return wide;
  });
  expect(overflow).toEqual([]);
}

test.use({ viewport: { width: 1280, height: 800 }, timezoneId: "Australia/Sydney" });

test("staff read the audit log in words: who by name, email or key name, what as a sentence, when in their own zone; the refund reads as a refund; audit and dunning tables fit 1280 px", async ({ page, browser, baseURL, api, tally }) => {
  // A paid subscription, partly refunded through the API; then a second customer whose renewal fails (dunning).
  const { invoiceId } = await newSubscriber(page, tally, { name: "Rita Refund", card: "pm_card_visa", plan: "starter" });
  const refund = await api("/credit_notes", { method: "POST", body: { invoice: invoiceId, amount: 400, reason: "product_unsatisfactory", outcome: "refund" } });
  expect(refund.status).toBe(200);
  const invoice = await api(`/invoices/${invoiceId}`);

  const clock = await api("/test_clocks", { method: "POST", body: { frozen_time: new Date().toISOString(), name: "audit e2e" } });
  const { customerId, subscriptionId } = await newSubscriber(page, tally, { name: "Dora Dunning With A Rather Long Name", card: "pm_card_visa", plan: "starter", customer: { test_clock: String(clock.body.id) } });
  const failing = await api(`/customers/${customerId}/payment_methods`, { method: "POST", body: { token: "pm_card_chargeCustomerFail" } });
  expect((await api(`/customers/${customerId}`, { method: "PATCH", body: { default_payment_method: failing.body.id } })).status).toBe(200);
  const subscription = await api(`/subscriptions/${subscriptionId}`);
  const later = new Date(Date.parse(String(subscription.body.current_period_end)) + 3_600_000);
  expect((await api(`/test_clocks/${String(clock.body.id)}/advance`, { method: "POST", body: { frozen_time: later.toISOString() } })).status).toBe(200);

  // A staff action, so a person appears as the actor.
  const admin = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: "Australia/Sydney" });
  await signInAs(admin, "finance_viewer", baseURL!);
  const staff = await admin.newPage();
  await staff.goto("/admin/audit");
  const table = staff.getByRole("table", { name: "Audit entries, newest first" });
  await expect(table).toBeVisible();
  // The browser told the console its zone; times read in it, named.
  await expect(staff.getByText("Times are in your time zone (Australia/Sydney).")).toBeVisible();
  await expect(table.getByRole("row").nth(1)).toContainText(/(AEDT|AEST)/);
  await expect(table).not.toContainText(/\bUTC\b/);

  // The refund, in words, by the API key's name.
  const refundRow = table.getByRole("row").filter({ hasText: "Refunded $4.00 to Visa …4242" });
  await expect(refundRow).toHaveCount(1);
  await expect(refundRow).toContainText(`for invoice ${String(invoice.body.number)}`);
  await expect(refundRow).toContainText(/API key “[^”]+”/);
  // Tally's own jobs are named, and no row shows a bare actor id as its "who".
  await expect(table.getByRole("row").filter({ hasText: "Tally (" }).first()).toBeVisible();
  for (const cell of await table.locator("tbody tr td:nth-child(2)").allInnerTexts()) expect(cell).not.toMatch(/^(usr|key)_[A-Za-z0-9]+$/);
  await expectNoSidewaysScroll(staff);
  await staff.screenshot({ path: "test-results/screens/admin-audit-1280.png", fullPage: true });

  // A person by name and email: the finance viewer opens a page their role may not (denials are audited),
  // then finds it by their email.
  await staff.goto("/admin/staff");
  await expect(staff).toHaveURL(/\/admin\?denied=1/);
  await staff.goto("/admin/audit");
  await staff.getByLabel("Who").fill("finance@demo.tally.test");
  await staff.getByRole("button", { name: "Apply filters" }).click();
  const denied = table.getByRole("row").filter({ hasText: "Refused: the finance viewer role may not staff manage" });
  await expect(denied).toHaveCount(1);
  await expect(denied).toContainText("Fin Viewer (finance@demo.tally.test)");

  // The dunning queue fits too.
  await staff.goto("/admin/queues?queue=dunning");
  const queue = staff.getByRole("table", { name: "Open invoices with failed payments" });
  await expect(queue).toContainText("Dora Dunning");
  // Days in dunning count on the customer's test clock, not the wall clock (never "day -31"): the
  // clock stands an hour after the failed renewal, day 0 — or day 1 when that hour crosses the
  // customer's local midnight (calendar days).
  await expect(queue.getByRole("row").filter({ hasText: "Dora Dunning" })).toContainText(/day [01] \(test clock\)/);
  await expectNoSidewaysScroll(staff);
  await staff.screenshot({ path: "test-results/screens/admin-dunning-queue-1280.png", fullPage: true });
  await admin.close();
});
