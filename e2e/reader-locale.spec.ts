import { expect, newSubscriber, screenshotWidths as shoot, signInAs, test } from "./fixtures";

const MINUS = "\u2212";

test("a customer who reads German sees German amounts in the portal; a staff member in en-US sees A$ for the same AUD", async ({ page, browser, baseURL, tally, api }) => {
  const { customerId, invoiceId } = await newSubscriber(page, tally, { name: "Greta Gerber", card: "pm_card_visa", plan: "starter", customer: { preferred_locales: ["de-DE"] } });
  const customer = await api(`/customers/${customerId}`);
  expect(customer.body.preferred_locales).toEqual(["de-DE"]);
  // A credit on the balance shows the true minus sign where the locale puts its sign.
  await api(`/customers/${customerId}/credit_grants`, { method: "POST", body: { amount: 484, currency: "aud", reason: "Goodwill" } });

  // The portal: German grouping and decimal comma, the currency after the amount, AUD unmistakable.
  await page.goto("/");
  await expect(page.getByRole("main")).toContainText("10,00 AU$");
  await expect(page.getByRole("main")).not.toContainText("$10.00");
  await shoot(page, "portal-de-DE-overview");
  await page.goto("/invoices");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: /^TLY-\d{6}$/ }) });
  await expect(row.first()).toContainText("10,00 AU$");
  await shoot(page, "portal-de-DE-invoices");
  await page.goto(`/invoices/${invoiceId}`);
  await expect(page.getByRole("main")).toContainText("10,00 AU$");
  await shoot(page, "portal-de-DE-invoice");

  // The console, for a staff member whose browser asks for American English: A$ for AUD, US date order.
  const staff = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
  await signInAs(staff, "billing_admin", baseURL!);
  const console = await staff.newPage();
  await console.goto(`/admin/customers/${customerId}`);
  await expect(console.getByRole("main")).toContainText("A$4.84");
  await console.goto(`/admin/customers/${customerId}?tab=invoices`);
  await expect(console.getByRole("main")).toContainText("A$10.00");
  await expect(console.getByRole("main")).not.toContainText(`${MINUS}$`);
  await staff.close();

  // The same page for a staff member in Australian English keeps the plain "$".
  const local = await browser.newContext({ locale: "en-AU", viewport: { width: 1280, height: 900 } });
  await signInAs(local, "billing_admin", baseURL!);
  const localPage = await local.newPage();
  await localPage.goto(`/admin/customers/${customerId}?tab=invoices`);
  await expect(localPage.getByRole("main")).toContainText("$10.00");
  await expect(localPage.getByRole("main")).not.toContainText("A$10.00");
  await local.close();
});
