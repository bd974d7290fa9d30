import fs from "node:fs";
import { pdfPageTexts } from "@/lib/documents/pdf-text";
import { expect, newSubscriber, openMail, signInAs, shoot, test } from "./fixtures";

const NAME = "Łódź Ωmega 株式会社";

async function pdfText(bytes: Buffer): Promise<string> {
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  const pages = await pdfPageTexts(new Uint8Array(bytes));
  return pages.join("\n").replace(/\s+/g, " ");
}

test("paying an invoice issues one receipt: emailed with its PDF, listed in the portal, resent from the console", async ({ page, api, browser, baseURL, tally }) => {
  // Every charge on the default card fails, so the first invoice stays open until paid with another card.
  const { customerId, email, invoiceId } = await newSubscriber(page, tally, { name: NAME, card: "pm_card_chargeCustomerFail", plan: "starter" });
  expect((await api(`/customers/${customerId}/payment_methods`, { method: "POST", body: { token: "pm_card_visa" } })).status).toBe(200);

  // No payment yet: no receipts.
  await page.goto("/receipts");
  await expect(page.getByRole("heading", { name: "Receipts", level: 1 })).toBeVisible();
  await expect(page.getByText("No receipts yet")).toBeVisible();
  await shoot(page, "portal-receipts-empty");

  // Pay it with the Visa.
  await page.goto(`/invoices/${invoiceId}`);
  const invoiceNumber = (await page.getByRole("heading", { level: 1 }).textContent())!.replace("Invoice ", "").trim();
  expect(invoiceNumber).toMatch(/^TLY-\d{6}$/);
  await page.getByRole("radio", { name: /Visa ending 4242/ }).check();
  await page.getByRole("button", { name: "Pay $10.00 now" }).click();
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: "Payment of $10.00 received. Thank you!" })).toBeVisible();

  // The receipt email is in the mailbox with its PDF attached.
  const subject = new RegExp(`^Receipt RCT-\\d{6} for invoice ${invoiceNumber}$`);
  const first = await openMail(browser, baseURL!, email, subject, 1);
  const receiptNumber = /RCT-\d{6}/.exec((await first.mailbox.getByRole("heading", { level: 1 }).textContent()) ?? "")![0];
  const text = (await first.mailbox.locator("pre").textContent()) ?? "";
  expect(text).toContain(`Your receipt ${receiptNumber} is attached as a PDF.`);
  expect(text).toContain("Visa ending 4242");
  const attachment = first.mailbox.getByRole("link", { name: `${receiptNumber}.pdf` });
  await expect(attachment).toBeVisible();
  await expect(first.mailbox.getByText("application/pdf")).toBeVisible();
  await first.mailbox.screenshot({ path: "test-results/screens/mailbox-receipt-1280.png", fullPage: true });
  const mailed = await first.staff.request.get((await attachment.getAttribute("href"))!);
  expect(mailed.status()).toBe(200);
  expect(mailed.headers()["content-type"]).toBe("application/pdf");
  expect(mailed.headers()["content-disposition"]).toBe(`attachment; filename="${receiptNumber}.pdf"`);
  const mailedBytes = await mailed.body();
  const printed = await pdfText(mailedBytes);
  for (const expected of ["Receipt", receiptNumber, "$10.00", "Visa ending 4242", invoiceNumber, NAME]) expect(printed).toContain(expected);
  await first.staff.close();

  // The portal lists it, with the invoice it paid and its PDF (the same document).
  await page.goto("/receipts");
  const row = page.getByRole("row").filter({ hasText: receiptNumber });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("cell").filter({ hasText: /^\$10\.00$/ })).toBeVisible();
  await expect(row.getByText("Visa ending 4242").first()).toBeAttached();
  await expect(row.getByRole("link", { name: invoiceNumber }).first()).toHaveAttribute("href", `/invoices/${invoiceId}`);
  await shoot(page, "portal-receipts");
  const downloading = page.waitForEvent("download");
  await row.getByRole("link", { name: `Download receipt ${receiptNumber} (PDF)` }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${receiptNumber}.pdf`);
  const downloaded = fs.readFileSync((await download.path())!);
  expect(Buffer.compare(downloaded, mailedBytes)).toBe(0);
  // Only their own: another customer's receipt id is a 404 here.
  const receiptId = /\/receipts\/([^/]+)\/pdf/.exec((await row.getByRole("link", { name: /Download receipt/ }).getAttribute("href"))!)![1]!;
  expect((await page.request.get("/receipts/rcpt_notTheirs000/pdf")).status()).toBe(404);

  // The API has it too.
  const listed = await api(`/receipts?customer=${customerId}`);
  expect(listed.body).toMatchObject({ object: "list", data: [{ id: receiptId, number: receiptNumber, amount: 1000, invoice: invoiceId }] });

  // Support resend it from the customer's page, after a confirmation; it is emailed again.
  const staff = await browser.newContext();
  await signInAs(staff, "support", baseURL!);
  const console = await staff.newPage();
  await console.goto(`/admin/customers/${customerId}?tab=receipts`);
  const consoleRow = console.getByRole("row").filter({ hasText: receiptNumber });
  await expect(consoleRow).toContainText("Emailed once");
  await shoot(console, "console-receipts");
  await consoleRow.getByRole("button", { name: "Resend" }).click();
  const dialog = console.getByRole("dialog", { name: `Email receipt ${receiptNumber} again` });
  await expect(dialog).toContainText(`to ${email}, with its PDF attached`);
  await console.screenshot({ path: "test-results/screens/console-receipt-resend-dialog-1280.png" });
  await dialog.getByRole("button", { name: "Send receipt" }).click();
  await expect(console.getByRole("region", { name: "Notifications" }).getByText(`Receipt ${receiptNumber} emailed to ${email}.`)).toBeVisible();
  const again = await openMail(browser, baseURL!, email, subject, 2);
  await expect(again.mailbox.getByRole("link", { name: `${receiptNumber}.pdf` })).toBeVisible();
  await again.staff.close();
  await expect
    .poll(async () => {
      await console.goto(`/admin/customers/${customerId}?tab=receipts`);
      return (await console.getByRole("row").filter({ hasText: receiptNumber }).textContent()) ?? "";
    })
    .toContain("Emailed 2 times");
  // On record: the audit log names who resent it.
  await console.goto(`/admin/customers/${customerId}?tab=timeline`);
  await expect(console.getByText("Receipt emailed again").first()).toBeVisible();
  await staff.close();
});
