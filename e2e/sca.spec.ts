import type { Browser } from "@playwright/test";
import { expect, openMail, printedLink, test } from "./fixtures";

/** The plain-text body of the newest email to `to` with `subject`, read by staff in the mailbox. */
async function readMail(browser: Browser, baseURL: string, to: string, subject: RegExp): Promise<string> {
  const { staff, mailbox } = await openMail(browser, baseURL, to, subject);
  const text = (await mailbox.locator("pre").textContent()) ?? "";
  await staff.close();
  return text;
}

test("SCA: a subscriber pays with 4000 0027 6000 3184, confirms with their bank from the emailed link, and is active and paid", async ({ page, browser, baseURL }) => {
  const email = `sca-${Date.now()}@example.com`;
  const stripeRequests: string[] = [];
  page.on("request", (request) => {
    if (/stripe\.com/.test(request.url())) stripeRequests.push(request.url());
  });

  // A new subscriber signs up by email link.
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with an email link instead" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await page.goto(await printedLink(email, "sign-in link"));
  await expect(page.getByRole("heading", { name: "Billing overview" })).toBeVisible();

  // Checkout with the card that always needs authentication: straight to the confirm step.
  await page.goto("/checkout/starter");
  await page.getByLabel("Card number").fill("4000 0027 6000 3184");
  await expect(page.getByText("Test card: Always requires authentication")).toBeVisible();
  await page.getByRole("button", { name: "Subscribe and pay $10.00" }).click();
  await expect(page).toHaveURL(/\/pay\/[\w-]+\.[\w-]+$/);
  await expect(page.getByRole("heading", { name: "Confirm your payment" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Your bank asks you to confirm this payment" })).toBeVisible();
  await expect(page.getByTestId("pay-amount")).toHaveText("$10.00");
  await expect(page.getByText("Includes $0.91 GST")).toBeVisible();
  const checkoutLink = page.url();

  // Until then the subscription waits, incomplete, and the invoice is open.
  await page.goto("/");
  await expect(page.locator("section", { has: page.getByRole("heading", { name: "Starter" }) }).getByText("Incomplete", { exact: true })).toBeVisible();

  // The same confirm step arrives by email, as a signed link: staff see the email with the link
  // withheld; the customer's copy is the line the mailbox printed to the server log.
  const mail = await readMail(browser, baseURL!, email, /^Confirm your payment for invoice TLY-\d{6}$/);
  expect(mail).toContain("Your bank asks you to confirm the payment of $10.00");
  expect(mail).toContain("[payment confirmation link withheld]");
  expect(mail).not.toMatch(/\/pay\//);
  const link = await printedLink(email, "payment confirmation link");
  expect(link).toMatch(/^https?:\/\/\S+\/pay\/[\w-]+\.[\w-]+$/);

  const response = await page.goto(link);
  const csp = response?.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[\w+/=]+' https:\/\/js\.stripe\.com(;|$)/);
  expect(csp).toContain("frame-src https://js.stripe.com https://hooks.stripe.com");

  // Cancel leaves it open; Confirm completes it.
  await page.getByRole("link", { name: "Cancel" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Nothing was charged and the invoice is still open" })).toBeVisible();
  await page.getByRole("button", { name: "Confirm payment" }).click();
  await expect(page.getByRole("heading", { name: "Payment confirmed" })).toBeVisible();
  await expect(page.getByText(`A receipt is on its way to ${email}.`)).toBeVisible();
  await page.getByRole("link", { name: "View invoice" }).click();
  await expect(page.getByText("Paid", { exact: true }).first()).toBeVisible();

  // Confirming again does nothing: both links now just say it is done.
  await page.goto(checkoutLink);
  await expect(page.getByRole("heading", { name: "Payment confirmed" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Confirm payment" })).toHaveCount(0);

  // The portal shows the subscription active and the invoice paid, once.
  await page.goto("/");
  await expect(page.locator("section", { has: page.getByRole("heading", { name: "Starter" }) }).getByText("Active", { exact: true })).toBeVisible();
  await page.goto("/invoices");
  await expect(page.getByRole("link", { name: /^TLY-/ })).toHaveCount(1);
  await expect(page.getByRole("row", { name: /TLY-/ }).getByText("Paid", { exact: true })).toBeVisible();

  // A tampered link shows a plain error and nothing about the payment.
  const tampered = link.replace(/\.([\w-])([\w-]*)$/, (_m, c: string, rest: string) => `.${c === "A" ? "B" : "A"}${rest}`);
  await page.goto(tampered);
  await expect(page.getByRole("heading", { name: "This payment link doesn't work" })).toBeVisible();
  await expect(page.getByText("$10.00")).toHaveCount(0);

  // The sandbox never loads Stripe.js.
  expect(stripeRequests).toEqual([]);
});
