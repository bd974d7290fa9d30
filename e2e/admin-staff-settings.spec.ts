import { expect, signInAs, test } from "./fixtures";

test("a super admin invites a colleague, changes their role, deactivates them, and sees it all in the audit log", async ({ page, context, baseURL }) => {
  await signInAs(context, "super_admin", baseURL!);
  await page.goto("/admin/staff");
  await expect(page.getByRole("heading", { name: "Staff" })).toBeVisible();
  const email = `colleague-${Date.now()}@example.com`;
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText("Enter an email address, e.g. sam@example.com.")).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Name").fill("Cole League");
  await page.locator('select[name="role"]').first().selectOption("support");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${email}.`)).toBeVisible();
  const row = page.getByRole("row", { name: /Cole League/ });
  await expect(row.getByText("Invited")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/admin-staff-1280.png", fullPage: true });

  await row.getByLabel("Role for Cole League").selectOption("billing_admin");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByLabel("Role for Cole League")).toHaveValue("billing_admin");

  await row.getByRole("button", { name: "Deactivate" }).click();
  const dialog = page.getByRole("dialog", { name: "Deactivate Cole League?" });
  await expect(dialog.getByText("They are signed out at their next request")).toBeVisible();
  await dialog.getByRole("button", { name: "Deactivate" }).click();
  await expect(page.getByRole("row", { name: /Cole League/ }).getByText("Deactivated")).toBeVisible();

  // The invitation is in the mailbox.
  await page.goto("/admin/emails");
  await expect(page.getByRole("row", { name: new RegExp(email) }).getByText("staff-invite")).toBeVisible();

  await page.goto("/admin/audit?type=user");
  // Actions read as words; the code is the words' tooltip.
  await expect(page.getByTitle("user.deactivated").first()).toHaveText("Staff member deactivated: signed out and can no longer sign in");
  const roleChange = page.getByRole("row").filter({ has: page.getByTitle("user.role_changed") }).first();
  await expect(roleChange).toContainText("Role changed from");
  await roleChange.getByText(/1 field: role/).click();
  await expect(page.getByText("billing_admin").first()).toBeVisible();
  await page.screenshot({ path: "test-results/screens/admin-audit-1280.png", fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: "test-results/screens/admin-audit-375.png", fullPage: true });
});

test("settings: errors show next to the field, saved values apply, and the portal shows the business name", async ({ page, context, baseURL, browser, tally }) => {
  await signInAs(context, "super_admin", baseURL!);
  await page.goto("/admin/settings");
  const originalName = await page.getByLabel("Business name").inputValue();
  await page.getByLabel("Accent colour").fill("blue");
  await page.getByRole("button", { name: "Save changes" }).first().click();
  await expect(page.getByText("Enter a colour like #4F46E5.")).toBeVisible();
  await page.getByLabel("Accent colour").fill("#0F766E");
  await page.getByLabel("Business name").fill("Acme Cloud");
  await page.getByRole("button", { name: "Save changes" }).first().click();
  await expect(page.getByText("Business profile saved.")).toBeVisible();

  const originalRetryDays = await page.getByLabel("Retry on days").inputValue();
  await page.getByLabel("Retry on days").fill("1, 3, x");
  await page.getByRole("button", { name: "Save changes" }).nth(2).click();
  await expect(page.getByText("Enter whole days separated by commas, e.g. 1, 3, 7, 14.")).toBeVisible();
  await page.getByLabel("Retry on days").fill("2, 5, 9");
  await page.getByRole("button", { name: "Save changes" }).nth(2).click();
  await expect(page.getByText("Retry and dunning schedules saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Retry on days")).toHaveValue("2, 5, 9");
  await page.screenshot({ path: "test-results/screens/admin-settings-1280.png", fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: "test-results/screens/admin-settings-375.png", fullPage: true });

  const subscriber = await browser.newContext();
  const portal = await subscriber.newPage();
  const { newSubscriber } = await import("./fixtures");
  await newSubscriber(portal, tally);
  await expect(portal.getByRole("link", { name: /Acme Cloud/ })).toBeVisible();
  await subscriber.close();

  // Put the name and the retry schedule back for the other specs sharing this database.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByLabel("Business name").fill(originalName);
  await page.getByRole("button", { name: "Save changes" }).first().click();
  await expect(page.getByText("Business profile saved.")).toBeVisible();
  await page.getByLabel("Retry on days").fill(originalRetryDays);
  await page.getByRole("button", { name: "Save changes" }).nth(2).click();
  await expect(page.getByText("Retry and dunning schedules saved.")).toBeVisible();
});

test("a business charging GST without an ABN is warned on the overview and the business profile, until the ABN is set", async ({ page, context, baseURL, browser }) => {
  await signInAs(context, "super_admin", baseURL!);
  await page.goto("/admin/settings");
  const taxNumber = page.getByLabel("ABN / VAT number");
  // The demo business has a made-up ABN that passes the check digits: no warning.
  const demoAbn = await taxNumber.inputValue();
  expect(demoAbn).toBe("10 000 000 000");
  const warning = page.getByRole("status").filter({ hasText: "Your tax invoices show no ABN." });
  await expect(page.getByRole("heading", { name: "Business profile and branding" })).toBeVisible();
  await expect(warning).toHaveCount(0);
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(warning).toHaveCount(0);

  await page.goto("/admin/settings");
  await taxNumber.fill("");
  await page.getByRole("button", { name: "Save changes" }).first().click();
  await expect(page.getByText("Business profile saved.")).toBeVisible();
  await expect(warning).toContainText("Australian tax invoices must show it. Add it in Settings → Business profile.");
  const profile = page.locator("#business-profile");
  await expect(profile.getByRole("status").filter({ hasText: "Your tax invoices show no ABN." })).toBeVisible();
  await profile.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "test-results/screens/admin-settings-abn-warning-1280.png" });
  await page.setViewportSize({ width: 375, height: 812 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "test-results/screens/admin-settings-abn-warning-375.png" });
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.goto("/admin");
  await expect(warning).toBeVisible();
  await page.screenshot({ path: "test-results/screens/admin-overview-abn-warning-1280.png" });
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: "test-results/screens/admin-overview-abn-warning-375.png" });
  await page.setViewportSize({ width: 1280, height: 900 });
  // Support sees it too, told who can fix it, without a link to settings they cannot open.
  const supportContext = await browser.newContext();
  await signInAs(supportContext, "support", baseURL!);
  const support = await supportContext.newPage();
  await support.goto("/admin");
  const supportWarning = support.getByRole("status").filter({ hasText: "Your tax invoices show no ABN." });
  await expect(supportWarning).toContainText("A super admin can change it.");
  await expect(supportWarning.getByRole("link")).toHaveCount(0);
  await supportContext.close();

  await warning.getByRole("link", { name: "Open business profile" }).click();
  await expect(page).toHaveURL(/\/admin\/settings#business-profile$/);
  await taxNumber.fill(demoAbn);
  await page.getByRole("button", { name: "Save changes" }).first().click();
  await expect(page.getByText("Business profile saved.")).toBeVisible();
  await expect(warning).toHaveCount(0);
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(warning).toHaveCount(0);
});

test("support does not see or reach staff management, settings or the audit log", async ({ page, context, baseURL }) => {
  await signInAs(context, "support", baseURL!);
  await page.goto("/admin");
  const nav = page.getByRole("navigation").first();
  await expect(nav.getByRole("link", { name: "Customers" })).toBeVisible();
  for (const label of ["Staff", "Settings", "Audit log"]) await expect(page.getByRole("link", { name: label, exact: true })).toHaveCount(0);
  for (const path of ["/admin/staff", "/admin/settings", "/admin/audit"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/admin\?denied=1/);
  }
});

test("API keys: created and shown once, working at once, and refused after revoking", async ({ page, context, baseURL, playwright }) => {
  await signInAs(context, "super_admin", baseURL!);
  await page.goto("/admin/developers/api-keys");
  // The sandbox is the gateway here: live keys are not offered, and the page says why.
  await expect(page.getByRole("option", { name: "Live (tk_live_): needs Stripe" })).toBeDisabled();
  await expect(page.getByText("Live mode needs Stripe: while the sandbox gateway takes payments")).toBeVisible();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText("Name the key after what uses it, e.g. Production backend.")).toBeVisible();
  await page.getByLabel("Name").fill("Reporting job");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent())!.trim();
  expect(key).toMatch(/^tk_test_[0-9A-Za-z]{32}$/);
  await page.screenshot({ path: "test-results/screens/admin-api-keys-1280.png", fullPage: true });

  const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
  expect((await request.get("/api/v1/customers?limit=1")).status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  const row = page.getByRole("row", { name: /Reporting job/ });
  await row.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByRole("row", { name: /Reporting job/ }).getByText(/Revoked/)).toBeVisible();
  expect((await request.get("/api/v1/customers?limit=1")).status()).toBe(401);
  await request.dispose();
});

test("work queues list a customer whose payment failed, and the Stripe event log opens", async ({ page, context, baseURL, api }) => {
  const customer = await api("/customers", { method: "POST", body: { email: `queue-${Date.now()}@example.com`, name: "Queue Quinn", currency: "aud", timezone: "UTC", address: { country: "AU" } } });
  const customerId = String(customer.body.id);
  await api(`/customers/${customerId}/payment_methods`, { method: "POST", body: { token: "pm_card_chargeDeclinedInsufficientFunds" } });
  const plans = await api("/plans?code=starter");
  const priceId = (plans.body.data as { prices: { id: string; currency: string }[] }[])[0]!.prices.find((p) => p.currency === "aud")!.id;
  await api("/subscriptions", { method: "POST", body: { customer: customerId, items: [{ price: priceId }] } });

  await signInAs(context, "support", baseURL!);
  await page.goto("/admin/queues");
  const row = page.getByRole("row", { name: /Queue Quinn/ });
  await expect(row).toContainText("$10.00");
  await expect(row).toContainText(/insufficient/i);
  await page.screenshot({ path: "test-results/screens/admin-queues-1280.png", fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: "test-results/screens/admin-queues-375.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole("link", { name: /Failed webhooks/ }).click();
  await expect(page.getByText("No failed webhooks")).toBeVisible();
  // Stripe's raw events are developer data: support is turned away, a billing admin reads them.
  await expect(page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Stripe events" })).toHaveCount(0);
  await page.goto("/admin/developers/stripe-events");
  await expect(page).toHaveURL(/\/admin\?denied=1/);
  await context.clearCookies();
  await signInAs(context, "billing_admin", baseURL!);
  await page.goto("/admin/developers/stripe-events");
  await expect(page.getByRole("heading", { name: "Stripe events" })).toBeVisible();
});

test("test clocks: create a clock, add a subscribed test customer, advance a month and see the renewal run", async ({ page, context, baseURL }) => {
  await signInAs(context, "billing_admin", baseURL!);
  await page.goto("/admin/developers/test-clocks");
  await page.getByLabel("Name").fill("Renewal rehearsal");
  await page.getByLabel("Start at (UTC)").fill("2027-01-31T09:00");
  await page.getByRole("button", { name: "Create clock" }).click();
  await expect(page.getByRole("heading", { name: "Renewal rehearsal" })).toBeVisible();
  await page.getByLabel("Email").fill(`clock-${Date.now()}@example.com`);
  await page.getByLabel("Name").fill("Clocked Carla");
  await page.getByLabel("Subscribe to").selectOption({ label: "Starter · $10.00/month" });
  await page.getByRole("button", { name: "Add customer" }).click();
  await expect(page.getByText(/added and subscribed/)).toBeVisible();
  await expect(page.getByRole("row", { name: /Clocked Carla/ })).toContainText("31 Jan 2027 – 28 Feb 2027");

  await page.getByLabel("Advance to (UTC)").fill("2027-03-01T09:00");
  await page.getByRole("button", { name: "Advance" }).click();
  await expect(page.getByText(/Advanced to 2027-03-01 09:00 UTC/)).toBeVisible();
  await expect(page.getByRole("row", { name: /Clocked Carla/ })).toContainText("28 Feb 2027 – 31 Mar 2027");
  await expect(page.getByRole("cell", { name: "subscription cycle" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/admin-test-clock-1280.png", fullPage: true });
});

test("webhook endpoints: add one, its secret shown once, disable it", async ({ page, context, baseURL }) => {
  await signInAs(context, "super_admin", baseURL!);
  await page.goto("/admin/developers/webhooks");
  await page.getByLabel("Endpoint URL").fill("https://hooks.acme.test/tally");
  await page.getByLabel("Events").fill("invoice.paid, customer.subscription.deleted");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByText("Endpoint added: copy its signing secret now")).toBeVisible();
  await expect(page.getByTestId("new-webhook-secret")).toHaveText(/^whsec_/);
  const row = page.getByRole("row", { name: /hooks\.acme\.test/ });
  await expect(row).toContainText("customer.subscription.deleted, invoice.paid");
  await expect(row.getByText(/whsec_/)).toHaveCount(0);
  await row.getByRole("button", { name: "Disable" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Disable" }).click();
  await expect(page.getByRole("row", { name: /hooks\.acme\.test/ }).getByText("Disabled")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/admin-webhooks-1280.png", fullPage: true });
});
