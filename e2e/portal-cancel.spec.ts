import type { Page } from "@playwright/test";
import { expect, newSubscriber, signInAs, test } from "./fixtures";

/** Full-page screenshots at desktop and phone width, for looking at. */
async function shoot(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `test-results/screens/cancel-${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  // Nothing wider than the phone: the page never scrolls sideways (tables scroll inside their own box).
  const { width, culprits } = await page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    culprits: [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((el) => !el.closest("table") || ["absolute", "fixed"].includes(getComputedStyle(el).position))
      .slice(0, 5)
      .map((el) => `${el.tagName}.${String(el.className).slice(0, 60)}`),
  }));
  expect(width, `${name} is wider than 375 px: ${culprits.join(", ")}`).toBeLessThanOrEqual(375);
  await page.screenshot({ path: `test-results/screens/cancel-${name}-375.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

const card = (page: Page, plan: string) => page.locator("section", { has: page.getByRole("heading", { name: plan }) });

test("too expensive → accept 25% off: the upcoming invoice shows the discount", async ({ page, api, tally }) => {
  // Arrives through a portal session deep-linked into the cancel flow.
  const { subscriptionId } = await newSubscriber(page, tally, { card: "pm_card_visa", plan: "starter", flow: { type: "subscription_cancel" } });
  await expect(page).toHaveURL(/\/subscription\/cancel$/);
  await expect(page.getByRole("heading", { name: "Cancel subscription" })).toBeVisible();
  await expect(page.getByText("Step 1 of 3")).toBeVisible();
  await shoot(page, "1-reason");

  // A reason is required, and "Other" needs a few words.
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("Choose the reason that fits best.")).toBeVisible();
  await page.getByRole("radio", { name: "Other", exact: true }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("Tell us a little about why you're leaving.")).toBeVisible();
  await expect(page.getByLabel("Tell us more")).toHaveAttribute("aria-invalid", "true");
  await shoot(page, "1-reason-errors");

  await page.getByRole("radio", { name: "It's too expensive" }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("Step 2 of 3")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Stay for 25% less" })).toBeVisible();
  await expect(page.getByText("25% off your next 3 invoices")).toBeVisible();
  await shoot(page, "2-offer-discount");

  await page.getByRole("button", { name: "Accept 25% off" }).click();
  await expect(page).toHaveURL(/\/(\?notice=.*)?$/);
  await expect(page.getByText(/Thanks for staying\. 25% off applies to your next 3 invoices, starting \d+ \w+ \d{4}\./)).toBeVisible();
  // A$10.00 less 25%: the next invoice is A$7.50.
  const starterCard = card(page, "Starter");
  await expect(starterCard.getByText("−$2.50")).toBeVisible();
  await expect(starterCard.getByText("$7.50", { exact: true })).toBeVisible();
  await shoot(page, "overview-after-discount");

  const upcoming = await api(`/invoices/upcoming?subscription=${subscriptionId}`);
  expect(upcoming.status).toBe(200);
  expect(upcoming.body).toMatchObject({ subtotal: 1000, discount_total: 250, total: 750 });
});

test("not using it → pause for 2 months, all by keyboard: the overview says paused", async ({ page, tally }) => {
  await newSubscriber(page, tally, { card: "pm_card_visa", plan: "starter" });
  await page.goto("/subscription/cancel");
  // The radio group moves with the arrow keys; Enter submits.
  await page.getByRole("radio", { name: "It's too expensive" }).focus();
  await page.keyboard.press("Space");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("radio", { name: "I'm not using it enough" })).toBeChecked();
  await page.getByRole("button", { name: "Continue" }).focus();
  await page.keyboard.press("Enter");

  await expect(page.getByRole("heading", { name: "Take a break instead" })).toBeVisible();
  await expect(page.getByText("Step 2 of 3")).toBeVisible();
  await expect(page.getByRole("radio", { name: /^1 month · resumes/ })).toBeChecked();
  await shoot(page, "2-offer-pause");
  await page.getByRole("radio", { name: /^2 months · resumes/ }).focus();
  await page.keyboard.press("Space");
  const resumes = /resumes (.+)$/.exec(await page.getByText(/^2 months · resumes/).innerText())?.[1];
  expect(resumes).toBeTruthy();
  await page.getByRole("button", { name: "Pause my subscription" }).focus();
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL(/\/(\?notice=.*)?$/);
  await expect(page.getByText(`Your subscription is paused. Billing resumes on ${resumes}.`)).toBeVisible();
  await expect(card(page, "Starter").getByText("Paused", { exact: true })).toBeVisible();

  // A paused subscription cannot start the flow again: the page explains instead.
  await page.goto("/subscription/cancel");
  await expect(page.getByRole("heading", { name: "Your subscription is paused" })).toBeVisible();
  await shoot(page, "not-cancellable-paused");
});

test("declining the offer cancels at the period end: the overview says when it cancels", async ({ page, tally }) => {
  await newSubscriber(page, tally, { card: "pm_card_visa", plan: "starter" });
  await page.goto("/subscription/cancel");
  await page.getByRole("radio", { name: "I'm switching to another product" }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Stay for 25% less" })).toBeVisible();
  await page.getByRole("link", { name: "No thanks, continue to cancel" }).click();

  await expect(page.getByText("Step 3 of 3")).toBeVisible();
  const effect = page.getByTestId("cancel-effect");
  await expect(effect).toHaveText(/^Your subscription stays active until \d+ \w+ \d{4}; you won't be charged again\.$/);
  const until = /until (.+);/.exec((await effect.textContent()) ?? "")?.[1];
  await shoot(page, "3-confirm");
  // The back link returns to the offer, which is still there.
  await page.getByRole("link", { name: "Back to the offer" }).click();
  await expect(page.getByRole("heading", { name: "Stay for 25% less" })).toBeVisible();
  await page.getByRole("link", { name: "No thanks, continue to cancel" }).click();

  await page.getByRole("button", { name: "Cancel subscription" }).click();
  await expect(page).toHaveURL(/\/(\?notice=.*)?$/);
  await expect(page.getByText(`Your subscription is canceled and stays active until ${until}. You won't be charged again.`)).toBeVisible();
  const starter = card(page, "Starter");
  await expect(starter.getByText(`Cancels on ${until}`)).toBeVisible();
  await shoot(page, "overview-after-cancel");

  await page.goto("/subscription/cancel");
  await expect(page.getByRole("heading", { name: "Already canceled" })).toBeVisible();
});

test("billing admin configures an offer in the console (validated, audited); subscribers see it; finance can only read", async ({ page, browser, baseURL, tally }) => {
  const staff = await browser.newContext();
  await signInAs(staff, "billing_admin", baseURL!);
  const admin = await staff.newPage();
  await admin.goto("/admin");
  await admin.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Retention offers" }).click();
  await expect(admin.getByRole("heading", { name: "Retention offers" })).toBeVisible();
  const offers = admin.locator("section", { has: admin.getByRole("heading", { name: "Offers by reason" }) });
  const row = (reason: string) => offers.getByRole("row", { name: new RegExp(reason) });
  await expect(row("It's too expensive")).toContainText("25% off for 3 months");
  await expect(row("I had technical issues")).toContainText("Talk to support");
  await shoot(admin, "admin-list");

  await row("I had technical issues").getByRole("link", { name: /Edit/ }).click();
  await expect(admin.getByRole("heading", { name: "Edit offer: I had technical issues" })).toBeVisible();
  await admin.getByRole("combobox", { name: "Offer" }).selectOption("discount");
  await admin.getByLabel("Percent off").fill("0");
  await admin.getByLabel("For how many months").fill("2");
  await admin.getByRole("button", { name: "Save offer" }).click();
  await expect(admin.getByText("The discount is 1% to 100%.")).toBeVisible();
  await expect(admin.getByLabel("Percent off")).toHaveAttribute("aria-invalid", "true");
  await shoot(admin, "admin-edit-error");
  await admin.getByLabel("Percent off").fill("40");
  await admin.getByRole("button", { name: "Save offer" }).click();
  await expect(admin.getByText("Saved the offer for “I had technical issues”.")).toBeVisible();
  await expect(row("I had technical issues")).toContainText("40% off for 2 months");
  await expect(admin.getByRole("row", { name: /billing@demo\.tally\.test.*I had technical issues/ })).toContainText("→ 40% off for 2 months");

  // A subscriber giving that reason now sees the new offer.
  await newSubscriber(page, tally, { card: "pm_card_visa", plan: "starter" });
  await page.goto("/subscription/cancel");
  await page.getByRole("radio", { name: "I had technical issues" }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Stay for 40% less" })).toBeVisible();
  await page.getByRole("button", { name: "Accept 40% off" }).click();
  await expect(page.getByText(/Thanks for staying\. 40% off applies to your next 2 invoices/)).toBeVisible();

  // The outcomes summary counts it.
  await admin.goto("/admin/retention-offers");
  const summary = admin.locator("section", { has: admin.getByRole("heading", { name: "Outcomes, last 90 days" }) });
  await expect(summary.getByRole("row", { name: /I had technical issues/ }).getByRole("cell").nth(1)).toHaveText("1");
  await shoot(admin, "admin-summary");
  await staff.close();

  const finance = await browser.newContext();
  await signInAs(finance, "finance_viewer", baseURL!);
  const viewer = await finance.newPage();
  await viewer.goto("/admin/retention-offers?edit=too_expensive");
  await expect(viewer.getByRole("heading", { name: "Retention offers" })).toBeVisible();
  await expect(viewer.getByRole("link", { name: /Edit/ })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Save offer" })).toHaveCount(0);
  await finance.close();
});
