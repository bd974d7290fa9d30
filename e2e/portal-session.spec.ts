import { expect, newSubscriber, test } from "./fixtures";

test("a portal session signs the customer in once, shows the way back, and deep-links to a flow", async ({ page, api, tally }) => {
  const { customerId } = await newSubscriber(page, tally, { name: "Robin Return", card: "pm_card_visa", plan: "starter", returnUrl: "https://app.acme.test/settings/billing" });
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByText("Starter").first()).toBeVisible();
  const back = page.getByRole("link", { name: "Back to app.acme.test" });
  await expect(back).toHaveAttribute("href", "https://app.acme.test/settings/billing");
  await page.screenshot({ path: "test-results/screens/portal-session-1280.png", fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await expect(back).toBeVisible();
  await page.screenshot({ path: "test-results/screens/portal-session-375.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  // The link is single use: opening it again (e.g. in another browser) lands on sign-in with a reason.
  const session = await api("/portal_sessions", { method: "POST", body: { customer: customerId, flow_data: { type: "payment_method_update" } } });
  const url = String(session.body.url);
  const other = await page.context().browser()!.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(url);
  await expect(otherPage).toHaveURL(/\/payment-methods\/add/);
  await other.close();
  const third = await page.context().browser()!.newContext();
  const thirdPage = await third.newPage();
  await thirdPage.goto(url);
  await expect(thirdPage).toHaveURL(/\/sign-in\?error=PortalLinkExpired/);
  await expect(thirdPage.getByText("That billing link has expired or was already used.")).toBeVisible();
  await third.close();
});
