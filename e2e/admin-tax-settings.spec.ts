import fs from "node:fs";
import type { Page } from "@playwright/test";
import { expect, signInAs, test } from "./fixtures";

test.use({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC" });

const SHOTS = "/tmp/h-tax";

/** Screenshots at 1280 and 375 px; at 375 nothing may stick out sideways. */
async function shoot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.screenshot({ path: `${SHOTS}/tax-${name}-${width}.png`, fullPage: true });
    await page.locator("#preview").screenshot({ path: `${SHOTS}/tax-${name}-${width}-preview.png` });
    await page.locator("section").first().screenshot({ path: `${SHOTS}/tax-${name}-${width}-registrations.png` });
    const scroll = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, limit: document.documentElement.clientWidth }));
    expect(scroll.width, `${name} at ${width} px`).toBeLessThanOrEqual(scroll.limit);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** What an earlier, interrupted run left (tax settings are the business's): removed first, through the same confirmations. */
async function removeLeftovers(page: Page) {
  const ie = page.getByRole("region", { name: "Tax registrations" }).getByRole("row", { name: /IE/ });
  if ((await ie.count()) > 0) {
    await ie.getByRole("button", { name: "Remove" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Remove registration" }).click();
    await expect(ie).toHaveCount(0);
  }
  const tx = page.getByRole("region", { name: "Rates set by staff" }).getByRole("row", { name: /US-TX/ });
  while ((await tx.count()) > 0) {
    const before = await tx.count();
    await tx.first().getByRole("button", { name: "Remove" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Remove rate" }).click();
    await expect(tx).toHaveCount(before - 1);
  }
}

test("a super admin registers for the EU One-Stop Shop, previews DE consumer VAT and a reverse charge, adds a US state rate, and removes both behind a confirmation", async ({ page, context, baseURL }) => {
  test.setTimeout(180_000);
  await signInAs(context, "super_admin", baseURL!);
  await page.goto("/admin/settings");
  await page.getByRole("link", { name: "Tax registrations and rates" }).click();
  await expect(page.getByRole("heading", { name: "Tax", level: 1 })).toBeVisible();
  await removeLeftovers(page);
  const registrations = page.getByRole("region", { name: "Tax registrations" });
  await expect(registrations).toContainText("Business country (default)");

  // Register in Ireland under the One-Stop Shop.
  const regForm = page.locator("form").filter({ has: page.getByRole("button", { name: "Add registration" }) });
  await regForm.getByLabel("Country").fill("IE");
  await regForm.getByLabel("Scheme").selectOption("oss");
  await regForm.getByRole("button", { name: "Add registration" }).click();
  await expect(regForm.getByText(/Registered in IE\./)).toBeVisible();
  await expect(registrations.getByRole("row", { name: /IE/ })).toContainText("One-Stop Shop");

  // A Texas rate with SaaS taxed.
  const rateForm = page.locator("form").filter({ has: page.getByRole("button", { name: "Add rate" }) });
  await rateForm.getByLabel("Country").fill("US");
  await rateForm.getByLabel("State or province").fill("TX");
  await rateForm.getByLabel("Tax", { exact: true }).selectOption("sales_tax");
  await rateForm.getByLabel("Rate (%)").fill("6.25");
  await rateForm.getByRole("button", { name: "Add rate" }).click();
  await expect(rateForm.getByText(/Rate of 6.25% added for US-TX/)).toBeVisible();
  await expect(page.getByRole("region", { name: "Rates set by staff" })).toContainText("US-TX");
  await expect(page.getByRole("region", { name: "Shipped rates" })).toContainText("25.5%");

  // Preview: a German consumer pays German VAT under OSS.
  const preview = page.locator("form").filter({ has: page.getByRole("button", { name: "Preview" }) });
  await preview.getByLabel("Country").fill("DE");
  await preview.getByLabel("Currency").fill("eur");
  await preview.getByLabel("Amount").fill("100.00");
  await preview.getByRole("button", { name: "Preview" }).click();
  const result = page.getByTestId("tax-preview");
  await expect(result).toContainText("DE VAT");
  await expect(result).toContainText("VAT (19%)");
  await expect(result).toContainText("€19.00");
  await expect(result).toContainText("€119.00");
  await shoot(page, "settings-preview-b2c");

  // A German business with a valid VAT number: reverse charge, with the directive's wording.
  await page.goto("/admin/settings/tax?country=DE&buyer=business&vat=DE136695976&currency=eur&amount=100.00&behavior=exclusive#preview");
  await expect(result).toContainText("reverse charge");
  await expect(result).toContainText("€100.00");
  await expect(result).toContainText("Reverse charge: VAT to be accounted for by the recipient (Article 196, Council Directive 2006/112/EC)");
  await shoot(page, "preview-reverse-charge");

  // Removing asks first; cancelling keeps it.
  const ieRow = registrations.getByRole("row", { name: /IE/ });
  await ieRow.getByRole("button", { name: "Remove" }).click();
  const dialog = page.getByRole("dialog", { name: "Stop collecting tax in IE?" });
  await expect(dialog).toContainText("Invoices already issued keep their tax.");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(ieRow).toBeVisible();
  await ieRow.getByRole("button", { name: "Remove" }).click();
  await dialog.getByRole("button", { name: "Remove registration" }).click();
  await expect(registrations.getByRole("row", { name: /IE/ })).toHaveCount(0);

  const txRow = page.getByRole("region", { name: "Rates set by staff" }).getByRole("row", { name: /US-TX/ });
  await txRow.getByRole("button", { name: "Remove" }).click();
  await page.getByRole("dialog", { name: /Remove the 6.25% rate for US-TX/ }).getByRole("button", { name: "Remove rate" }).click();
  await expect(page.getByRole("region", { name: "Rates set by staff" })).toContainText("No rates set");

  // The changes are in the audit log.
  await page.goto("/admin/audit");
  await expect(page.getByText("Tax registration added").first()).toBeVisible();
  await expect(page.getByText("Tax registration removed").first()).toBeVisible();
});

test("an exempt customer keeps its certificate reference; the preview for that customer charges no tax", async ({ page, context, baseURL, api }) => {
  test.setTimeout(180_000);
  const customer = await api("/customers", { method: "POST", body: { email: `exempt-${Date.now().toString(36)}@example.com`, name: "Harbour Charity Trust", currency: "aud", address: { country: "AU" } } });
  expect(customer.status).toBe(200);
  await signInAs(context, "super_admin", baseURL!);
  await page.goto(`/admin/customers/${String(customer.body.id)}`);
  const card = page.locator("#tax-exemption");
  await card.getByLabel("Tax status").selectOption("exempt");
  await card.getByRole("button", { name: "Save tax status" }).click();
  await expect(card.getByText("Enter the exemption certificate's reference.").first()).toBeVisible();
  // The form comes back as it was saved (taxable); choose exempt again with the certificate.
  await card.getByLabel("Tax status").selectOption("exempt");
  await card.getByLabel("Exemption certificate").fill("DGR-2026-0042");
  await card.getByRole("button", { name: "Save tax status" }).click();
  await expect(card.getByText("Exemption saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByText("Exempt · certificate DGR-2026-0042")).toBeVisible();

  await page.goto(`/admin/settings/tax?customer=${String(customer.body.id)}&amount=10.00&behavior=inclusive#preview`);
  const result = page.getByTestId("tax-preview");
  await expect(result).toContainText("Harbour Charity Trust");
  await expect(result).toContainText("The customer is exempt.");
  await expect(result).toContainText("$10.00");
  await page.goto(`/admin/settings/tax?country=AU&currency=aud&amount=10.00&behavior=inclusive#preview`);
  await expect(result).toContainText("GST (10%) included");
  await expect(result).toContainText("$0.91");
  await shoot(page, "preview-au-inclusive");
});

test("choosing Stripe Tax without Stripe as the gateway is refused with what to do, and Tally's tables stay in charge", async ({ page, context, baseURL }) => {
  await signInAs(context, "super_admin", baseURL!);
  await page.goto("/admin/settings/tax");
  const card = page.locator("section").filter({ has: page.getByRole("heading", { name: "Tax calculation" }) });
  await expect(card.getByText("Tally's rate tables", { exact: true })).toBeVisible();
  const form = card.locator("form");
  await form.getByLabel("Rates decided by").selectOption("stripe_tax");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("Stripe Tax needs Stripe as the payment gateway: set STRIPE_SECRET_KEY first.")).toBeVisible();
  await page.reload();
  await expect(card.getByText("Tally's rate tables", { exact: true })).toBeVisible();
  fs.mkdirSync(SHOTS, { recursive: true });
  await card.screenshot({ path: `${SHOTS}/tax-calculation-card-1280.png` });
});
