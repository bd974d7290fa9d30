import type { Page } from "@playwright/test";
import { expect, newSubscriber, signInAs, test } from "./fixtures";

const unique = () => Date.now().toString(36).toUpperCase();

async function screens(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `test-results/screens/admin-catalog-${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: `test-results/screens/admin-catalog-${name}-375.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("a billing admin creates a coupon and a promotion code, turns the code off and invalidates the coupon, each confirmed with its terms", async ({ page, context, baseURL, api }) => {
  await signInAs(context, "billing_admin", baseURL!);
  await page.goto("/admin/catalog/coupons");
  await expect(page.getByRole("heading", { name: "Coupons", level: 1 })).toBeVisible();
  const name = `Spring ${unique()}`;

  // A percentage over 100 is refused next to the field, and what was typed stays.
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Percent off", { exact: true }).fill("150");
  await page.getByRole("button", { name: "Create coupon…" }).click();
  await expect(page.getByText("percent_off must be greater than 0 and at most 100.")).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);

  await page.getByLabel("Percent off", { exact: true }).fill("25");
  await page.getByLabel("Months", { exact: true }).fill("3");
  await page.getByLabel("Max redemptions", { exact: true }).fill("100");
  await page.getByRole("button", { name: "Create coupon…" }).click();
  const confirm = page.getByRole("dialog", { name: "Create this coupon?" });
  await expect(confirm).toContainText(`Subscriptions that redeem “${name}” get 25% off for 3 months on their invoices. Limited to at most 100 redemptions.`);
  await confirm.getByRole("button", { name: "Create coupon" }).click();

  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.getByText("25% off for 3 months").first()).toBeVisible();
  const couponId = page.url().split("/").pop()!.split("?")[0]!;
  const coupon = await api(`/coupons/${couponId}`);
  expect(coupon.body).toMatchObject({ percent_off: 25, duration: "repeating", duration_in_periods: 3, max_redemptions: 100, valid: true });

  const code = `SPRING${unique()}`;
  await page.getByLabel("Code", { exact: true }).fill(code);
  await page.getByLabel("Max uses", { exact: true }).fill("50");
  await page.getByRole("button", { name: "Create code…" }).click();
  const codeDialog = page.getByRole("dialog", { name: "Create this promotion code?" });
  await expect(codeDialog).toContainText(`Customers who enter ${code} get 25% off for 3 months (${name}). Limited to at most 50 redemptions.`);
  await codeDialog.getByRole("button", { name: "Create code" }).click();
  const row = page.getByRole("row", { name: new RegExp(code) });
  await expect(row.getByText("Active").filter({ visible: true })).toBeVisible();
  await expect(row.getByRole("cell", { name: "0 / 50" })).toBeVisible();
  const codes = await api(`/promotion_codes?coupon=${couponId}`);
  expect((codes.body.data as { code: string; active: boolean }[]).map((c) => [c.code, c.active])).toEqual([[code, true]]);
  await screens(page, "coupon");

  await row.getByRole("button", { name: `Turn off ${code}` }).click();
  const off = page.getByRole("dialog", { name: `Turn off ${code}?` });
  await expect(off).toContainText("Subscriptions that redeemed it keep 25% off for 3 months.");
  await off.getByRole("button", { name: "Turn off" }).click();
  await expect(page.getByRole("row", { name: new RegExp(code) }).getByText("Off", { exact: true }).filter({ visible: true })).toBeVisible();

  await page.getByRole("button", { name: "Invalidate…" }).click();
  const invalidate = page.getByRole("dialog", { name: `Invalidate ${name}?` });
  await expect(invalidate).toContainText("The 0 subscriptions that already have it keep 25% off for 3 months as agreed");
  await invalidate.getByRole("button", { name: "Invalidate coupon" }).click();
  await expect(page.getByText("Invalidated").first()).toBeVisible();
  expect((await api(`/coupons/${couponId}`)).body.valid).toBe(false);

  await page.goto("/admin/catalog/coupons");
  await expect(page.getByRole("row", { name: new RegExp(name) }).getByText("Invalidated")).toBeVisible();
  await screens(page, "coupons");
});

test("a new price version, then migrating a subscriber to it: the preview's money effect, and the upcoming invoice bills the new amount", async ({ page, context, baseURL, api, tally, browser }) => {
  const suffix = unique().toLowerCase();
  const product = await api("/products", { method: "POST", body: { name: `Migration ${suffix}` } });
  const planCode = `pro-${suffix}`;
  const plan = await api("/plans", {
    method: "POST",
    body: { product: product.body.id, code: planCode, name: `Migrated ${suffix}`, interval: "month", prices: [{ currency: "aud", unit_amount: 2900, tax_behavior: "inclusive" }] },
  });
  expect(plan.status).toBe(200);
  const v1 = (plan.body.prices as { id: string }[])[0]!.id;

  // A subscriber on version 1, created through the API.
  const subscriberContext = await browser.newContext();
  const { subscriptionId } = await newSubscriber(await subscriberContext.newPage(), tally, { name: "Morgan Migrate", card: "pm_card_visa", plan: planCode });
  await subscriberContext.close();

  await signInAs(context, "billing_admin", baseURL!);
  await page.goto(`/admin/catalog/plans/${String(plan.body.id)}`);
  await expect(page.getByRole("heading", { name: `Migrated ${suffix}`, level: 1 })).toBeVisible();

  await page.getByLabel("Price", { exact: true }).fill("35.00");
  await page.getByRole("button", { name: "Create version…" }).click();
  const version = page.getByRole("dialog", { name: "Create a new price version?" });
  await expect(version).toContainText(`From now on, new subscribers to Migrated ${suffix} pay $35.00/month (incl. GST). 1 subscription on version 1 ($29.00/month) keeps paying that until you migrate them.`);
  await version.getByRole("button", { name: "Create version" }).click();
  await expect(page.getByText("Version 2 ($35.00) is now the AUD price for new subscribers.")).toBeVisible();
  await expect(page.getByRole("row", { name: /v2 Current/ })).toBeVisible();
  await expect(page.getByRole("row", { name: /v1 Grandfathered/ }).getByRole("cell", { name: "1", exact: true })).toBeVisible();
  await screens(page, "plan");

  await page.getByRole("link", { name: "Migrate… subscribers from AUD version 1" }).click();
  const summary = "1 subscription moves from $29.00 to $35.00/month at their next renewal: MRR +$6.00";
  await expect(page.getByTestId("migration-summary")).toHaveText(`${summary}.`);
  const sample = page.getByRole("row", { name: /Morgan Migrate/ });
  await expect(sample.getByRole("cell", { name: "$29.00" })).toBeVisible();
  await expect(sample.getByRole("cell", { name: "$35.00" })).toBeVisible();
  await screens(page, "migration-preview");
  await page.setViewportSize({ width: 375, height: 800 });
  await page.locator("#migrate").screenshot({ path: "test-results/screens/admin-catalog-migration-panel-375.png" });
  await page.getByRole("table", { name: /Price versions of/ }).screenshot({ path: "test-results/screens/admin-catalog-versions-375.png" });
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByRole("button", { name: "Migrate 1 subscription…" }).click();
  const migrate = page.getByRole("dialog", { name: "Migrate to version 2?" });
  await expect(migrate).toContainText(`${summary}.`);
  await expect(migrate).toContainText("Nothing is charged now");
  await migrate.getByRole("button", { name: "Migrate subscribers" }).click();
  await expect(page.getByText(/Run #\d+: 1 subscription moves at their next renewal\./).first()).toBeVisible();
  await expect(page.getByRole("row", { name: /AUD v1 → v2/ }).getByText("Completed")).toBeVisible();
  await expect(page.getByText(/No subscription on version 1 is left to move/)).toBeVisible();
  await screens(page, "plan-migrated");

  // The subscription renews on version 2, and its upcoming invoice bills the new amount.
  const v2 = ((await api(`/plans/${String(plan.body.id)}`)).body.prices as { id: string; version: number }[]).find((p) => p.version === 2)!.id;
  const subscription = await api(`/subscriptions/${subscriptionId}`);
  expect((subscription.body.items as { price: string }[]).map((i) => i.price)).toEqual([v1]);
  expect(subscription.body.pending_change).toMatchObject({ items: [{ price: v2, quantity: 1 }], effective_at: subscription.body.current_period_end });
  const upcoming = await api(`/invoices/upcoming?subscription=${subscriptionId}`);
  expect(upcoming.body).toMatchObject({ total: 3500, lines: [{ amount: 3500, price: v2 }] });
});

test("finance viewers and support see the catalog read-only: no create, edit, migrate or invalidate buttons", async ({ page, context, baseURL, api }) => {
  const coupon = await api("/coupons", { method: "POST", body: { name: `Readonly ${unique()}`, percent_off: 10, duration: "once" } });
  const plans = await api("/plans?code=pro");
  const proId = (plans.body.data as { id: string }[])[0]!.id;
  for (const role of ["finance_viewer", "support"] as const) {
    await context.clearCookies();
    await signInAs(context, role, baseURL!);
    await page.goto("/admin/catalog/products");
    await expect(page.getByRole("heading", { name: "Products", level: 1 })).toBeVisible();
    await expect(page.getByRole("table", { name: "Products" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Create product" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: /^Edit/ })).toHaveCount(0);

    await page.goto("/admin/catalog/plans");
    await expect(page.getByRole("link", { name: "Pro", exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Create plan…" })).toHaveCount(0);

    await page.goto(`/admin/catalog/plans/${proId}`);
    await expect(page.getByRole("heading", { name: "Price versions" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Create version…" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: /Migrate…/ })).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Edit plan" })).toHaveCount(0);
    // The migration panel is not reachable by URL either.
    await page.goto(`/admin/catalog/plans/${proId}?migrate=${"x"}`);
    await expect(page.getByRole("button", { name: /Migrate \d+ subscription/ })).toHaveCount(0);

    await page.goto(`/admin/catalog/coupons/${String(coupon.body.id)}`);
    await expect(page.getByText("10% off once").first()).toBeVisible();
    await expect(page.getByRole("button", { name: "Invalidate…" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Create code…" })).toHaveCount(0);

    await page.goto("/admin/catalog/coupons");
    await expect(page.getByRole("button", { name: "Create coupon…" })).toHaveCount(0);
    // The navigation lists the catalog pages.
    await expect(page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Coupons" })).toBeVisible();
  }
  await page.goto(`/admin/catalog/plans/${proId}`);
  await screens(page, "plan-readonly");
  await page.goto("/admin/catalog/products");
  await screens(page, "products");
  await page.goto("/admin/catalog/plans");
  await screens(page, "plans");
});

test("the new plan form makes the billing admin choose its product: nothing is preselected, and creating without one says so", async ({ page, context, baseURL }) => {
  await signInAs(context, "billing_admin", baseURL!);
  await page.goto("/admin/catalog/plans");
  const product = page.getByLabel("Product", { exact: true });
  await expect(product).toHaveValue("");
  await expect(product.locator("option").first()).toHaveText("Choose a product");
  await page.getByLabel("Name", { exact: true }).fill(`Unplaced ${unique()}`);
  await page.getByLabel("Code", { exact: true }).fill(`unplaced-${unique().toLowerCase()}`);
  await page.getByLabel("Price", { exact: true }).fill("12.00");
  await page.getByRole("button", { name: "Create plan…" }).click();
  await page.getByRole("dialog", { name: "Create this plan?" }).getByRole("button", { name: "Create plan" }).click();
  await expect(page.getByText("Choose a product.")).toBeVisible();
  // Filtered to one product, the form starts on it.
  const first = await product.locator("option").nth(1).getAttribute("value");
  await page.goto(`/admin/catalog/plans?product=${first}`);
  await expect(page.getByLabel("Product", { exact: true })).toHaveValue(first!);
});
