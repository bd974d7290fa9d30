import { expect, newSubscriber, printedLink, signInAs, test } from "./fixtures";

// S5 in the browser: no staff member can read another person's sign-in, portal or payment link.
// The super admin asks for a sign-in link, a colleague is invited, the SaaS makes a portal session,
// and a payment waits for the bank's confirmation; then a support agent reads every page of the
// mailbox, and the API's answers, looking for any of those tokens.
test("the mailbox and the API never show a usable sign-in, portal or payment link; the printed sign-in link signs the super admin in", async ({ page, browser, baseURL, api, tally }) => {
  test.setTimeout(120_000);
  const admin = "admin@demo.tally.test";
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with an email link instead" }).click();
  await page.getByLabel("Email").fill(admin);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const signIn = await printedLink(admin, "sign-in link");
  const signInToken = new URL(signIn).searchParams.get("token") ?? "";
  expect(signInToken).toMatch(/^[0-9a-f]{64}$/);

  const superAdmin = await browser.newContext();
  await signInAs(superAdmin, "super_admin", baseURL!);
  const staffPage = await superAdmin.newPage();
  await staffPage.goto("/admin/staff");
  const colleague = `invitee-${Date.now()}@example.com`;
  await staffPage.getByLabel("Email").fill(colleague);
  await staffPage.getByLabel("Name").fill("Ivy Invitee");
  await staffPage.getByRole("button", { name: "Send invitation" }).click();
  await expect(staffPage.getByText(`Invitation sent to ${colleague}.`)).toBeVisible();
  await superAdmin.close();

  const subscriberContext = await browser.newContext();
  const subscriber = await newSubscriber(await subscriberContext.newPage(), tally, { card: "pm_card_authenticationRequired", plan: "starter", name: "Sasha Secure" });
  await subscriberContext.close();
  const portal = await api("/portal_sessions", { method: "POST", body: { customer: subscriber.customerId } });
  const portalToken = new URL(String(portal.body.url)).pathname.split("/").pop() ?? "";
  expect(portalToken).toMatch(/^[0-9A-Za-z]{43}$/);
  const pay = await printedLink(subscriber.email, "payment confirmation link");
  const payToken = new URL(pay).pathname.replace(/^\/pay\//, "");
  expect(payToken).toMatch(/^[\w-]+\.[\w-]+$/);
  const secrets = [signInToken, portalToken, payToken];

  // A support agent reads the whole mailbox: the list and every email in it.
  const support = await browser.newContext();
  await signInAs(support, "support", baseURL!);
  const mailbox = await support.newPage();
  const seen: string[] = [];
  await mailbox.goto("/admin/emails");
  seen.push(await mailbox.content());
  const hrefs: string[] = [];
  for (const to of [admin, colleague, subscriber.email]) {
    const rows = mailbox.getByRole("row", { name: new RegExp(to.replace(/[.+]/g, "\\$&")) });
    await expect(rows.first()).toBeVisible();
    hrefs.push(...(await rows.locator('a[href^="/admin/emails/em_"]').evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""))));
  }
  for (const href of hrefs) {
    await mailbox.goto(href);
    seen.push(await mailbox.content());
  }
  expect(hrefs.length).toBeGreaterThanOrEqual(3);
  for (const html of seen) for (const secret of secrets) expect(html).not.toContain(secret);

  // The sign-in email is there, says its link was withheld and where the recipient gets it.
  await mailbox.goto("/admin/emails");
  await mailbox.getByRole("row", { name: new RegExp(admin.replace(/[.+]/g, "\\$&")) }).getByRole("link", { name: "Your sign-in link for Tally" }).first().click();
  await expect(mailbox.getByRole("status").filter({ hasText: "The sign-in link in this email was withheld" })).toContainText(`printed once to the Tally server's log, on the line starting "[tally] sign-in link for ${admin}"`);
  await expect(mailbox.locator("pre")).toContainText("[sign-in link withheld]");
  await mailbox.screenshot({ path: "test-results/screens/admin-email-withheld-1280.png", fullPage: true });
  await support.close();

  // Nor do the API's answers about the customer hold any of them.
  for (const path of [`/customers/${subscriber.customerId}`, `/invoices?customer=${subscriber.customerId}`, `/subscriptions/${subscriber.subscriptionId}`, `/payments?customer=${subscriber.customerId}`]) {
    const res = await api(path);
    expect(res.status, path).toBe(200);
    const answer = JSON.stringify(res.body);
    for (const secret of secrets) expect(answer).not.toContain(secret);
  }

  // The printed link is the real one: it signs the super admin in, once.
  await page.goto(signIn);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Staff", exact: true })).toBeVisible();
});
