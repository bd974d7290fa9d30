import fs from "node:fs";
import { expect, newSubscriber, signInAs, shoot, test } from "./fixtures";

test("export my data, then delete my account: signed out for good, invoices kept, staff see a deleted customer", async ({ page, api, browser, baseURL, tally }) => {
  const { customerId, email, invoiceId, subscriptionId } = await newSubscriber(page, tally, { name: "Priya Private", card: "pm_card_visa", plan: "starter" });
  expect(invoiceId).toBeTruthy();

  await page.getByRole("link", { name: "Privacy" }).first().click();
  await expect(page).toHaveURL(/\/privacy$/);
  await expect(page.getByRole("heading", { name: "Privacy", level: 1 })).toBeVisible();
  await expect(page.getByText("Starter: ends today")).toBeVisible();
  await expect(page.getByText(/kept for 7 years \(until \d{1,2} \w{3} \d{4}\)/)).toBeVisible();
  await expect(page.getByText(/^Deleting your account (refunds \$\d+\.\d\d to your card|charges nothing and refunds nothing)\.$/)).toBeVisible();
  await shoot(page, "portal-privacy");

  // Download my data: a JSON file holding this customer's invoice.
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download my data" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(new RegExp(`^tally-data-${customerId}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
  const data = JSON.parse(fs.readFileSync((await download.path())!, "utf8")) as { customer: { id: string; email: string; name: string }; tables: { invoices: { id: string; lines: unknown[] }[]; subscriptions: { id: string }[]; payment_methods: { last4: string }[] } };
  expect(data.customer).toMatchObject({ id: customerId, email, name: "Priya Private" });
  expect(data.tables.invoices.map((i) => i.id)).toContain(invoiceId);
  expect(data.tables.invoices[0]?.lines.length).toBeGreaterThan(0);
  expect(data.tables.subscriptions.map((s) => s.id)).toEqual([subscriptionId]);
  expect(data.tables.payment_methods.map((m) => m.last4)).toEqual(["4242"]);

  // Deleting needs the typed confirmation.
  const confirm = page.getByLabel("To confirm, type your email address or DELETE");
  await confirm.fill("delete please");
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByText(`That doesn't match. Type your email address (${email}) or DELETE.`).first()).toBeVisible();
  await expect(confirm).toHaveAttribute("aria-invalid", "true");
  await confirm.fill("DELETE");
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByRole("heading", { name: "Your account has been deleted" })).toBeVisible();
  await expect(page.getByText(/are kept until \d{1,2} \w{3} \d{4} because tax law requires it/)).toBeVisible();
  await shoot(page, "portal-privacy-deleted");

  // Signed out: the portal sends this browser to sign-in.
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  // A new portal link for the deleted customer does not sign anyone in either.
  const link = await api("/portal_sessions", { method: "POST", body: { customer: customerId } });
  await page.goto(String(link.body.url));
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/invoices");
  await expect(page).toHaveURL(/\/sign-in/);
  // And the old email matches no account.
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("any password at all");
  await page.getByRole("button", { name: /^Sign in/ }).first().click();
  await expect(page.getByText("That email and password do not match an account.")).toBeVisible();

  // What is kept: the invoice, unchanged and paid; the customer is pseudonymized.
  const invoice = await api(`/invoices/${invoiceId}`);
  expect(invoice.body).toMatchObject({ status: "paid", total: 1000 });
  const customer = await api(`/customers/${customerId}`);
  expect(customer.body).toMatchObject({ name: "Deleted customer", email: `deleted+${customerId.toLowerCase()}@invalid` });
  const subscription = await api(`/subscriptions/${subscriptionId}`);
  expect(subscription.body.status).toBe("canceled");

  // Staff see the deleted customer in the console, with the invoices still there.
  const staff = await browser.newContext();
  await signInAs(staff, "support", baseURL!);
  const console = await staff.newPage();
  await console.goto(`/admin/customers/${customerId}`);
  await expect(console.getByRole("heading", { name: "Deleted customer", level: 1 })).toBeVisible();
  await expect(console.getByText(`deleted+${customerId.toLowerCase()}@invalid`).first()).toBeVisible();
  await expect(console.getByRole("link", { name: String((invoice.body as { number: string }).number), exact: true })).toBeVisible();
  await console.screenshot({ path: "test-results/screens/admin-deleted-customer-1280.png", fullPage: true });
  await staff.close();
});
