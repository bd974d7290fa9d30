import { expect, fixtures, printedLink, signInAs, test } from "./fixtures";

test("a subscriber signs in, subscribes to Starter with 4242 and sees a paid invoice with GST; staff see the same customer", async ({ page, browser, baseURL }) => {
  // The one real sign-in through the form.
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Email").fill("subscriber@demo.tally.test");
  await page.getByLabel("Password").fill("tally-demo-pass");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Billing overview" })).toBeVisible();
  await expect(page.getByText("You don't have a plan yet")).toBeVisible();

  await page.getByRole("link", { name: "Plans" }).first().click();
  const starter = page.locator("section", { has: page.getByRole("heading", { name: "Starter", exact: true }) });
  await expect(starter.getByText("$10.00")).toBeVisible();
  await expect(starter.getByText("incl. GST")).toBeVisible();
  await starter.getByRole("link", { name: "Choose Starter" }).click();

  await expect(page.getByTestId("due-today")).toHaveText("$10.00");
  await expect(page.getByText("Includes GST (10%)")).toBeVisible();
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await expect(page.getByText("Test card: Succeeds")).toBeVisible();
  await page.getByRole("button", { name: "Subscribe and pay $10.00" }).click();

  await expect(page.getByRole("heading", { name: "Billing overview" })).toBeVisible();
  const plan = page.locator("section", { has: page.getByRole("heading", { name: "Starter" }) });
  await expect(plan.getByText("Active", { exact: true })).toBeVisible();
  await expect(plan.getByText("Visa ending 4242")).toBeVisible();

  await page.getByRole("link", { name: "Invoices" }).first().click();
  await page.getByRole("link", { name: /^TLY-/ }).first().click();
  await expect(page.getByText("GST (10%) included")).toBeVisible();
  const totals = page.locator("dl").filter({ hasText: "Subtotal" });
  await expect(totals).toContainText("Total$10.00");
  await expect(totals).toContainText("GST (10%) included$0.91");
  await expect(totals).toContainText("Amount paid$10.00");
  await expect(page.getByText("Paid", { exact: true }).first()).toBeVisible();
  const invoiceHeading = (await page.getByRole("heading", { level: 1 }).textContent())?.trim() ?? "";
  expect(invoiceHeading).toMatch(/^Invoice TLY-\d{6}$/);
  const invoiceNumber = invoiceHeading.replace(/^Invoice /, "");

  // Staff see the same customer and invoice in the console, and the receipt in the mailbox.
  const staff = await browser.newContext();
  await signInAs(staff, "support", baseURL!);
  const console = await staff.newPage();
  await console.goto("/admin/customers?q=subscriber%40demo.tally.test");
  await console.getByRole("link", { name: "Sam Subscriber" }).click();
  await expect(console.getByRole("heading", { name: "Sam Subscriber" })).toBeVisible();
  const invoices = console.locator("section", { has: console.getByRole("heading", { name: "Invoices" }) });
  await expect(invoices.getByRole("link", { name: invoiceNumber })).toBeVisible();
  await expect(invoices.getByText("Paid")).toBeVisible();
  await expect(invoices.getByText("$0.91")).toBeVisible();
  await expect
    .poll(async () => {
      await console.goto("/admin/emails");
      return console.getByRole("link", { name: new RegExp(`^Receipt RCT-\\d{6} for invoice ${invoiceNumber}$`) }).count();
    })
    .toBe(1);
  await staff.close();
});

test("a new subscriber signs up by magic link, is declined with 4000 0000 0000 0002, then pays with 4242", async ({ page }) => {
  const email = `new-${Date.now()}@example.com`;
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with an email link instead" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();

  // On the mailbox transport the link is printed to the server log (the mailbox withholds it).
  const link = await printedLink(email, "sign-in link");
  expect(link).toMatch(/\/api\/auth\/callback\/email\?/);

  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Billing overview" })).toBeVisible();
  const checkoutPage = await page.goto("/checkout/starter");
  // S6: the payment page allows scripts only from Tally (by nonce) and Stripe.
  expect(checkoutPage?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' https:\/\/js\.stripe\.com/);
  await page.getByLabel("Card number").fill("4000 0000 0000 0002");
  await page.getByRole("button", { name: "Subscribe and pay $10.00" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Your card was declined. Please try another card." })).toBeVisible();

  await page.getByLabel("Card number").fill("4242424242424242");
  await page.getByRole("button", { name: "Subscribe and pay $10.00" }).click();
  await expect(page.getByRole("heading", { name: "Billing overview" })).toBeVisible();
  await expect(page.getByText("Active", { exact: true })).toBeVisible();
  // One subscription, one invoice: the retry paid the first invoice instead of starting again.
  await page.goto("/invoices");
  await expect(page.getByRole("link", { name: /^TLY-/ })).toHaveCount(1);
  expect(fixtures().apiKey).toMatch(/^tk_test_/);
});

test("people without a session are sent to sign in, and subscribers cannot open the console", async ({ page, browser, baseURL }) => {
  await page.goto("/admin/customers");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fadmin%2Fcustomers/);
  const subscriber = await browser.newContext();
  await signInAs(subscriber, "subscriber", baseURL!);
  const p = await subscriber.newPage();
  await p.goto("/admin/customers");
  await expect(p).toHaveURL(`${baseURL}/`);
  await subscriber.close();
});
