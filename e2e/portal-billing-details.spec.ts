import type { Page } from "@playwright/test";
import { expect, newSubscriber, test } from "./fixtures";

async function shots(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: `test-results/screens/${name}-375.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
}

test("billing details: an invalid ABN is refused next to the field, a valid one is saved; the tax effect of a country change is explained", async ({ page, api, tally }) => {
  const { email } = await newSubscriber(page, tally, { name: "Avery Business" });
  await page.goto("/billing");
  await expect(page.getByRole("heading", { name: "Billing details" })).toBeVisible();
  await expect(page.getByLabel("Billing email")).toHaveValue(email);
  await expect(page.getByLabel("Country")).toHaveValue("AU");
  await expect(page.getByText("Changes apply to invoices issued from now on; issued invoices keep the details they were issued with.")).toBeVisible();

  await page.getByLabel("Name on invoices").fill("Avery Business Pty Ltd");
  await page.getByLabel("Address line 1").fill("1 George St");
  await page.getByLabel("City").fill("Sydney");
  await page.getByLabel("State or region").fill("NSW");
  await page.getByLabel("Postal code").fill("2000");
  await page.getByLabel("Tax ID type").selectOption("au_abn");
  const abn = page.getByLabel("Australian Business Number (ABN)");
  await abn.fill("51 824 753 557");
  await page.getByRole("button", { name: "Save billing details" }).click();

  // The error sits next to the field, tied to it for screen readers; what was typed stays.
  await expect(abn).toHaveAttribute("aria-invalid", "true");
  const errorId = (await abn.getAttribute("aria-describedby"))?.split(" ")[0] ?? "";
  await expect(page.locator(`[id="${errorId}"]`)).toHaveText("This is not a valid ABN: its check digits don't match. Please check each digit.");
  await expect(abn).toHaveValue("51 824 753 557");
  await expect(page.getByLabel("Tax ID type")).toHaveValue("au_abn");
  await expect(page.getByLabel("City")).toHaveValue("Sydney");
  await shots(page, "billing-invalid-abn");

  await abn.fill("51 824 753 556");
  await page.getByRole("button", { name: "Save billing details" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Billing details saved. They apply to invoices issued from now on." })).toBeVisible();
  await expect(abn).not.toHaveAttribute("aria-invalid", "true");

  await page.reload();
  await expect(page.getByLabel("Australian Business Number (ABN)")).toHaveValue("51 824 753 556");
  await expect(page.getByLabel("Name on invoices")).toHaveValue("Avery Business Pty Ltd");
  await shots(page, "billing-saved");

  // The API reads the same, normalized.
  const customers = await api(`/customers?email=${encodeURIComponent(email)}`);
  const customer = (customers.body.data as { tax_ids: unknown; address: unknown; name: string }[])[0];
  expect(customer).toMatchObject({ name: "Avery Business Pty Ltd", tax_ids: [{ type: "au_abn", value: "51824753556", verified: false }], address: { line1: "1 George St", city: "Sydney", postal_code: "2000", country: "AU" } });

  // Moving the address out of Australia: the page says what happens to GST before saving.
  await page.getByLabel("Country").selectOption("NZ");
  await expect(page.getByText("With this address, future invoices won't include Australian GST.")).toBeVisible();
  await shots(page, "billing-country-change");
  await page.getByLabel("Country").selectOption("AU");
  await expect(page.getByText("With this address, future invoices won't include Australian GST.")).toHaveCount(0);
});
