import type { Page } from "@playwright/test";
import { expect, newSubscriber, test } from "./fixtures";

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: `test-results/screens/${name}-375.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("pricing table: monthly/annual toggle by keyboard, trial wording, GST the local way; USD customers see their own prices", async ({ page, tally }) => {
  await newSubscriber(page, tally);
  await page.goto("/plans");
  const toggle = page.getByRole("group", { name: "Billing interval" });
  const monthly = toggle.getByRole("button", { name: "Monthly" });
  const annual = toggle.getByRole("button", { name: "Annual" });
  await expect(monthly).toHaveAttribute("aria-pressed", "true");
  await expect(annual).toHaveAttribute("aria-pressed", "false");
  const pro = page.getByRole("region", { name: "Pro" });
  await expect(pro.getByText("14-day free trial, then $29.00/month")).toBeVisible();
  await expect(pro.getByText("incl. GST")).toBeVisible();
  await expect(page.getByText("Prices in AUD, including GST.", { exact: false })).toBeVisible();
  await expect(page.getByRole("region", { name: "Starter (annual)" })).toHaveCount(0);
  await shoot(page, "plans");

  await annual.focus();
  await page.keyboard.press("Enter");
  await expect(annual).toHaveAttribute("aria-pressed", "true");
  const yearly = page.getByRole("region", { name: "Starter (annual)" });
  await expect(yearly.getByText("$100.00")).toBeVisible();
  await expect(page.getByRole("region", { name: "Pro" })).toHaveCount(0);
  await yearly.getByRole("link", { name: /Choose Starter \(annual\)/ }).click();
  await expect(page).toHaveURL(/\/checkout\/starter-annual$/);
  await expect(page.getByTestId("due-today")).toHaveText("$100.00");

  // A US customer: prices in USD, tax added on top, and no toggle (there is no USD annual plan).
  await newSubscriber(page, tally, { currency: "usd", country: "US" });
  await page.goto("/plans");
  await expect(page.getByRole("group", { name: "Billing interval" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Starter" }).getByText("+ tax")).toBeVisible();
  await expect(page.getByRole("region", { name: "Starter" }).getByText("US$7.00")).toBeVisible();
});

test("a promotion code: an unknown code is refused next to the field, a valid one discounts the first invoice", async ({ page, api, tally }) => {
  const code = `SAVE${Date.now().toString(36).toUpperCase()}`;
  const coupon = await api("/coupons", { method: "POST", body: { name: "Quarter off", percent_off: 25, duration: "once" } });
  expect(coupon.status).toBe(200);
  expect((await api("/promotion_codes", { method: "POST", body: { code, coupon: coupon.body.id } })).status).toBe(200);
  const { customerId } = await newSubscriber(page, tally);

  await page.goto("/checkout/starter");
  await expect(page.getByTestId("due-today")).toHaveText("$10.00");
  await page.getByLabel("Promotion code").fill("NOT-A-CODE");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("We don't recognise that code. Check the spelling and try again.")).toBeVisible();
  await expect(page.getByLabel("Promotion code")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Promotion code").fill(code.toLowerCase());
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("discount")).toHaveText("−$2.50");
  await expect(page.getByText("25% off the first invoice")).toBeVisible();
  await expect(page.getByTestId("due-today")).toHaveText("$7.50");
  await shoot(page, "checkout-promo");

  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Subscribe and pay $7.50" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/");
  await expect(page.getByRole("region", { name: "Starter" }).getByText("Active", { exact: true })).toBeVisible();
  const invoices = await api(`/invoices?customer=${customerId}`);
  const [first] = invoices.body.data as { subtotal: number; discount_total: number; total: number; amount_paid: number; status: string }[];
  expect(first).toMatchObject({ subtotal: 1000, discount_total: 250, total: 750, amount_paid: 750, status: "paid" });
});

test("a declined card (…0002) is explained inline; another card then succeeds with one subscription", async ({ page, api, tally }) => {
  const { customerId } = await newSubscriber(page, tally);
  await page.goto("/checkout/starter");
  await page.getByLabel("Card number").fill("4000 0000 0000 0002");
  await page.getByRole("button", { name: "Subscribe and pay $10.00" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "Payment not completed" });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText("Please try another card.");
  await expect(page).toHaveURL(/\/checkout\/starter$/);
  await shoot(page, "checkout-declined");

  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Subscribe and pay $10.00" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/");
  await expect(page.getByRole("region", { name: "Starter" }).getByText("Active", { exact: true })).toBeVisible();
  const subs = await api(`/subscriptions?customer=${customerId}`);
  expect((subs.body.data as { status: string }[]).map((s) => s.status)).toEqual(["active"]);
});

test("a card that needs authentication (…3184) goes to the confirm step, and is paid once confirmed", async ({ page, api, tally }) => {
  const { customerId } = await newSubscriber(page, tally);
  await page.goto("/checkout/starter");
  await page.getByLabel("Card number").fill("4000 0027 6000 3184");
  await page.getByRole("button", { name: "Subscribe and pay $10.00" }).click();
  await expect(page).toHaveURL(/\/pay\/[\w-]+\.[\w-]+$/);
  await expect(page.getByRole("heading", { name: "Your bank asks you to confirm this payment" })).toBeVisible();
  await page.getByRole("button", { name: "Confirm payment" }).click();
  await expect(page.getByRole("heading", { name: "Payment confirmed" })).toBeVisible();
  await page.goto("/");
  await expect(page.getByRole("region", { name: "Starter" }).getByText("Active", { exact: true })).toBeVisible();
  const invoices = await api(`/invoices?customer=${customerId}`);
  expect((invoices.body.data as { status: string; amount_paid: number }[]).map((i) => [i.status, i.amount_paid])).toEqual([["paid", 1000]]);
});

test("a plan with a trial: nothing due today, then trialing with the days left on the overview", async ({ page, tally }) => {
  await newSubscriber(page, tally);
  await page.goto("/plans");
  await page.getByRole("region", { name: "Pro" }).getByRole("link", { name: /Start free trial/ }).click();
  await expect(page).toHaveURL(/\/checkout\/pro$/);
  await expect(page.getByText("14-day free trial, then $29.00/month")).toBeVisible();
  await expect(page.getByText("Nothing due today")).toBeVisible();
  await expect(page.getByTestId("due-today")).toHaveText("$0.00");
  await expect(page.getByTestId("after-trial")).toHaveText("$29.00");
  await shoot(page, "checkout-trial");
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Start free trial" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/");
  const card = page.getByRole("region", { name: "Pro" });
  await expect(card.getByText("Trialing", { exact: true })).toBeVisible();
  await expect(card.getByText("Free trial: 14 days left")).toBeVisible();
  await expect(card.getByTestId("next-invoice")).toContainText("$29.00");
  await shoot(page, "overview-trial");

  // A subscriber's plan cards lead to a plan change, not a second checkout.
  await page.goto("/plans");
  await expect(page.getByRole("region", { name: "Pro" }).getByText("Current plan", { exact: true })).toBeVisible();
  await page.getByRole("region", { name: "Starter", exact: true }).getByRole("link", { name: /Switch to Starter/ }).click();
  await expect(page).toHaveURL(/\/subscription\/change\?price=/);
});
