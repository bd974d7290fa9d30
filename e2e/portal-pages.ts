import type { Page } from "@playwright/test";
import type { TallyClient } from "@/lib/client/tally";
import { expect, newSubscriber, ok } from "./fixtures";

/** Called on each portal page once it has loaded; `name` is stable (used for screenshot files). */
export type Visit = (name: string) => Promise<void>;

async function open(page: Page, path: string, visit: Visit, name: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), `${path} answered ${response?.status()}`).toBeLessThan(400);
  await page.waitForLoadState("load");
  await expect.soft(page.locator("h1").first(), `${path} has a main heading`).toBeVisible();
  await visit(name);
}

/** Whether a page exists in this build (the invoices/privacy pages land separately). */
async function exists(page: Page, path: string): Promise<boolean> {
  const response = await page.request.get(path, { maxRedirects: 0 });
  return response.status() < 400;
}

async function priceOf(tally: TallyClient, code: string, currency = "aud"): Promise<string> {
  const plans = await ok(tally.GET("/plans", { params: { query: { code } } }), `finding plan ${code}`);
  const price = plans.data[0]?.prices.find((p) => p.currency === currency);
  if (!price) throw new Error(`no ${currency} price for ${code}`);
  return price.id;
}

/**
 * Every portal page in the states a subscriber meets: a new customer with nothing yet, an active
 * subscriber (with the change-plan preview and each cancel step), trialing, canceling, paused,
 * past due (on a test clock, the renewal declined), the bank's confirm step of a checkout, the
 * hosted invoice, and the signed-out sign-in pages. Customers are created through the API, a few
 * per run, and each is used for every page it can show.
 */
export async function portalTour(page: Page, tally: TallyClient, visit: Visit): Promise<void> {
  // A new customer: every empty state, checkout, and the bank's confirm step.
  await newSubscriber(page, tally, { name: "Nova Newcomer" });
  await open(page, "/", visit, "overview-empty");
  await open(page, "/plans", visit, "plans");
  await open(page, "/checkout/starter", visit, "checkout");
  await open(page, "/subscription/change", visit, "change-empty");
  await open(page, "/subscription/cancel", visit, "cancel-empty");
  await open(page, "/payment-methods", visit, "payment-methods-empty");
  await open(page, "/payment-methods/add", visit, "payment-methods-add");
  await open(page, "/billing", visit, "billing");
  await open(page, "/invoices", visit, "invoices-empty");
  await open(page, "/usage", visit, "usage-empty");
  if (await exists(page, "/privacy")) await open(page, "/privacy", visit, "privacy");
  await page.goto("/checkout/starter");
  await page.getByLabel("Card number").fill("4000 0027 6000 3184");
  await page.getByRole("button", { name: /^Subscribe and pay/ }).click();
  await expect(page).toHaveURL(/\/pay\/[\w-]+\.[\w-]+$/);
  await expect(page.getByRole("heading", { name: "Confirm your payment" })).toBeVisible();
  await page.waitForLoadState("load");
  await visit("pay-confirm");
  await open(page, "/", visit, "overview-incomplete");

  // An active subscriber: overview, change plan (and its preview), the three cancel steps, cards, invoices.
  const active = await newSubscriber(page, tally, { name: "Avery Active", card: "pm_card_visa", plan: "starter" });
  await open(page, "/", visit, "overview-active");
  await open(page, "/subscription/change", visit, "change");
  await open(page, `/subscription/change?price=${await priceOf(tally, "pro")}`, visit, "change-preview");
  await open(page, "/subscription/cancel", visit, "cancel-reason");
  await page.getByRole("radio", { name: "It's too expensive" }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("Step 2 of 3")).toBeVisible();
  await page.waitForLoadState("load");
  await visit("cancel-offer");
  await page.getByRole("link", { name: "No thanks, continue to cancel" }).click();
  await expect(page.getByText("Step 3 of 3")).toBeVisible();
  await page.waitForLoadState("load");
  await visit("cancel-confirm");
  await open(page, "/payment-methods", visit, "payment-methods");
  await open(page, "/invoices", visit, "invoices");
  await open(page, `/invoices/${active.invoiceId}`, visit, "invoice-paid");
  // Another customer's (or a missing) invoice: the portal's own not-found page, in its shell.
  expect((await page.goto("/invoices/in_not_on_this_account"))?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "We couldn't find that on your account" })).toBeVisible();
  await visit("not-found");
  const hosted = (await ok(tally.GET("/invoices/{id}", { params: { path: { id: active.invoiceId! } } }), "reading the invoice")).hosted_invoice_url!;
  await open(page, new URL(hosted).pathname, visit, "hosted-invoice");

  // Trialing (Pro has a trial), canceling at the period end, paused.
  await newSubscriber(page, tally, { name: "Tatum Trial", card: "pm_card_visa", plan: "pro" });
  await open(page, "/", visit, "overview-trialing");
  const canceling = await newSubscriber(page, tally, { name: "Casey Canceling", card: "pm_card_visa", plan: "starter" });
  await ok(tally.POST("/subscriptions/{id}/cancel", { params: { path: { id: canceling.subscriptionId! } }, body: { at_period_end: true } }), "canceling at the period end");
  await open(page, "/", visit, "overview-canceling");
  const paused = await newSubscriber(page, tally, { name: "Parker Paused", card: "pm_card_visa", plan: "starter" });
  await ok(tally.POST("/subscriptions/{id}/pause", { params: { path: { id: paused.subscriptionId! } }, body: { resumes_at: new Date(Date.now() + 40 * 86_400_000).toISOString() } }), "pausing");
  await open(page, "/", visit, "overview-paused");

  // Past due: on a test clock, the renewal a month later is declined.
  const start = new Date();
  const clock = await ok(tally.POST("/test_clocks", { body: { frozen_time: start.toISOString(), name: "portal tour" } }), "creating a test clock");
  const due = await newSubscriber(page, tally, { name: "Drew Overdue", card: "pm_card_visa", plan: "starter", customer: { test_clock: clock.id } });
  const failing = await ok(tally.POST("/customers/{id}/payment_methods", { params: { path: { id: due.customerId } }, body: { token: "pm_card_chargeCustomerFail" } }), "attaching a failing card");
  await ok(tally.PATCH("/customers/{id}", { params: { path: { id: due.customerId } }, body: { default_payment_method: failing.id } }), "making it the default");
  await ok(tally.POST("/test_clocks/{id}/advance", { params: { path: { id: clock.id } }, body: { frozen_time: new Date(start.getTime() + 32 * 86_400_000).toISOString() } }), "advancing the clock");
  await open(page, "/", visit, "overview-past-due");
  const openInvoices = (await ok(tally.GET("/invoices", { params: { query: { customer: due.customerId, status: "open" } } }), "listing open invoices")).data;
  await open(page, `/invoices/${openInvoices[0]!.id}`, visit, "invoice-open");

  // Signed out.
  await page.context().clearCookies();
  await open(page, "/sign-in", visit, "sign-in");
  await open(page, "/sign-in/check-email", visit, "check-email");
}
