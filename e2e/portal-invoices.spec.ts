import fs from "node:fs";
import type { Page } from "@playwright/test";
import { expect, newSubscriber, signInAs, test } from "./fixtures";

async function shoot(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `test-results/screens/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: `test-results/screens/${name}-375.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("an open invoice: a decline is shown inline, then it is paid with another saved card, and its PDF downloads", async ({ page, api, baseURL, tally }) => {
  // The default card attaches but every charge fails: the first invoice stays open.
  const { customerId, invoiceId } = await newSubscriber(page, tally, { name: "Ola Open", card: "pm_card_chargeCustomerFail", plan: "starter" });
  expect(invoiceId).toBeTruthy();
  const second = await api(`/customers/${customerId}/payment_methods`, { method: "POST", body: { token: "pm_card_visa" } });
  expect(second.status).toBe(200);

  await page.goto("/invoices");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: /^TLY-\d{6}$/ }) });
  await expect(row).toHaveCount(1);
  await expect(row.getByText("Open", { exact: true })).toBeVisible();
  await expect(row.getByRole("cell").last()).toHaveText("$10.00");
  await shoot(page, "portal-invoices-list");
  const number = (await row.getByRole("link").textContent())!.trim();
  await row.getByRole("link", { name: number }).click();

  await expect(page).toHaveURL(new RegExp(`/invoices/${invoiceId}$`));
  await expect(page.getByRole("heading", { name: number, level: 1 })).toBeVisible();
  await expect(page.getByText("$10.00 due")).toBeVisible();
  const pay = page.getByRole("button", { name: "Pay $10.00 now" });
  await expect(page.getByRole("radio", { name: /Visa ending 0341/ })).toBeChecked();
  await shoot(page, "portal-invoice-open");

  // The default card declines: said next to the form, nothing changes.
  await pay.click();
  await expect(page.getByRole("alert").filter({ hasText: "Payment not completed" })).toContainText("Nothing was charged. Please try another card.");
  await expect(page.getByRole("button", { name: "Pay $10.00 now" })).toBeEnabled();
  await shoot(page, "portal-invoice-declined");

  // The other saved card pays it: the page says so in its own content, the badge moves to Paid, the form is gone.
  await page.getByRole("radio", { name: /Visa ending 4242/ }).check();
  await page.getByRole("button", { name: "Pay $10.00 now" }).click();
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: "Payment of $10.00 received. Thank you!" })).toBeVisible();
  await expect(page.getByText("Paid", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Pay this invoice" })).toHaveCount(0);
  expect(page.url()).not.toContain("notice=");
  const invoice = await api(`/invoices/${invoiceId}`);
  expect(invoice.body).toMatchObject({ status: "paid", amount_remaining: 0, amount_paid: 1000 });
  await shoot(page, "portal-invoice-paid");

  // The PDF: a real PDF, named after the invoice.
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download PDF" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${number}.pdf`);
  const bytes = fs.readFileSync((await download.path())!);
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  expect(bytes.length).toBeGreaterThan(1500);

  // Staff download the same PDF from the console.
  const staff = await page.context().browser()!.newContext();
  await signInAs(staff, "finance_viewer", baseURL!);
  const response = await staff.request.get(`/admin/invoices/${invoiceId}/pdf`);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-disposition"]).toBe(`attachment; filename="${number}.pdf"`);
  await staff.close();
});

test("a bank that asks for authentication sends the customer to the confirm step", async ({ page, api, tally }) => {
  const { customerId, invoiceId } = await newSubscriber(page, tally, { name: "Sam Secure", card: "pm_card_chargeCustomerFail", plan: "starter" });
  await api(`/customers/${customerId}/payment_methods`, { method: "POST", body: { token: "pm_card_authenticationRequired" } });
  await page.goto(`/invoices/${invoiceId}`);
  await page.getByRole("radio", { name: /Visa ending 3184/ }).check();
  await page.getByRole("button", { name: "Pay $10.00 now" }).click();
  await expect(page).toHaveURL(/\/pay\/[\w-]+\.[\w-]+$/);
  await expect(page.getByRole("heading", { name: "Your bank asks you to confirm this payment" })).toBeVisible();

  // Coming back before confirming: the invoice says a confirmation is waiting.
  await page.goto(`/invoices/${invoiceId}`);
  await expect(page.getByText("Your bank asked you to confirm a payment")).toBeVisible();
  await page.getByRole("link", { name: "Confirm payment" }).click();
  await page.getByRole("button", { name: "Confirm payment" }).click();
  await expect(page.getByRole("heading", { name: "Payment confirmed" })).toBeVisible();
  await page.goto(`/invoices/${invoiceId}`);
  await expect(page.getByText("Paid", { exact: true }).first()).toBeVisible();
});

test("without a saved card the invoice offers to add one; more than 25 invoices page; another customer's invoice is a 404", async ({ page, api, tally }) => {
  const other = await api("/customers", { method: "POST", body: { email: `other-${Date.now()}@example.com`, name: "Other Person", currency: "aud", timezone: "Australia/Sydney", address: { country: "AU" } } });
  const foreign = await api("/invoices", { method: "POST", body: { customer: other.body.id, lines: [{ description: "Consulting", amount: 5000, tax_behavior: "inclusive" }], collection_method: "send_invoice", auto_advance: true } });
  expect(foreign.status).toBe(200);

  const { customerId } = await newSubscriber(page, tally, { name: "Nico Nocard" });
  const ids: string[] = [];
  for (let i = 1; i <= 26; i++) {
    const created = await api("/invoices", { method: "POST", body: { customer: customerId, lines: [{ description: `Workshop ${i}`, amount: 1000 + i, tax_behavior: "inclusive" }], collection_method: "send_invoice", auto_advance: true } });
    expect(created.status).toBe(200);
    ids.push(String(created.body.id));
  }
  await page.goto("/invoices");
  const rows = page.getByRole("row").filter({ has: page.getByRole("link", { name: /^TLY-\d{6}$/ }) });
  await expect(rows).toHaveCount(25);
  await expect(page.getByRole("link", { name: "Newer invoices" })).toHaveCount(0);
  await page.getByRole("link", { name: "Older invoices →" }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("$10.01");
  await page.getByRole("link", { name: "← Newer invoices" }).click();
  await expect(rows).toHaveCount(25);
  await expect(rows.first()).toContainText("$10.26");

  await page.goto(`/invoices/${ids[0]}`);
  await expect(page.getByText("No saved card")).toBeVisible();
  await expect(page.getByRole("link", { name: "Add a card" })).toHaveAttribute("href", `/payment-methods/add?return=${encodeURIComponent(`/invoices/${ids[0]}`)}`);

  const foreignId = String(foreign.body.id);
  expect((await page.request.get(`/invoices/${foreignId}/pdf`)).status()).toBe(404);
  expect((await page.request.get(`/invoices/${ids[0]}/pdf`)).status()).toBe(200);
  const response = await page.goto(`/invoices/${foreignId}`);
  expect(response?.status()).toBe(404);
});

test("the hosted invoice page offers its PDF to anyone holding the link; a credit note's PDF downloads in the portal and the console", async ({ page, api, baseURL, tally, browser }) => {
  const { invoiceId } = await newSubscriber(page, tally, { name: "Łódź Ωmega 株式会社", card: "pm_card_visa", plan: "starter" });
  const invoice = (await api(`/invoices/${invoiceId}`)).body as { hosted_invoice_url: string; pdf_url: string; number: string };
  expect(invoice.pdf_url).toBe(`${invoice.hosted_invoice_url}/pdf`);

  // No session: the hosted link is all it takes.
  const anonymous = await browser.newContext({ baseURL });
  const hosted = await anonymous.newPage();
  await hosted.goto(new URL(invoice.hosted_invoice_url).pathname);
  const link = hosted.getByRole("link", { name: "Download PDF" });
  await expect(link).toBeVisible();
  await shoot(hosted, "hosted-invoice-download");
  const pdf = await anonymous.request.get((await link.getAttribute("href"))!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect(pdf.headers()["content-disposition"]).toBe(`attachment; filename="${invoice.number}.pdf"`);
  expect((await pdf.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  expect((await anonymous.request.get(`${new URL(invoice.pdf_url).pathname}x`)).status()).toBe(404);
  await anonymous.close();

  const note = await api("/credit_notes", { method: "POST", body: { invoice: invoiceId, amount: 500, reason: "order_change", outcome: "out_of_band" } });
  expect(note.status).toBe(200);
  const noteId = (note.body as { id: string; number: string }).id;
  const own = await page.request.get(`/credit-notes/${noteId}/pdf`);
  expect(own.status()).toBe(200);
  expect(own.headers()["content-type"]).toBe("application/pdf");
  const staff = await browser.newContext({ baseURL });
  await signInAs(staff, "finance_viewer", baseURL!);
  const fromConsole = await staff.request.get(`/admin/credit-notes/${noteId}/pdf`);
  expect(fromConsole.status()).toBe(200);
  expect(fromConsole.headers()["content-disposition"]).toBe(`attachment; filename="${(note.body as { number: string }).number}.pdf"`);
  await staff.close();
});
