import type { Locator, Page } from "@playwright/test";
import { expect, newSubscriber, test } from "./fixtures";

async function shoot(page: Page, name: string): Promise<void> {
  const { width, height } = page.viewportSize() ?? { width: 1280, height: 800 };
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `test-results/screens/clarity-${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: `test-results/screens/clarity-${name}-375.png`, fullPage: true });
  await page.setViewportSize({ width, height });
}

/**
 * A notice sits in the flow of the page: neither it nor anything around it is positioned over the
 * content, and no other element of the page's main content shares its box.
 */
async function expectInFlow(notice: Locator): Promise<void> {
  const found = await notice.evaluate((el) => {
    const positioned: string[] = [];
    for (let node: Element | null = el; node && node !== document.body; node = node.parentElement) {
      const position = getComputedStyle(node).position;
      if (position === "fixed" || position === "absolute" || position === "sticky") positioned.push(`<${node.tagName.toLowerCase()}> is ${position}`);
    }
    const box = el.getBoundingClientRect();
    const overlapping = [...document.querySelectorAll("main *")]
      .filter((other) => !other.contains(el) && !el.contains(other) && other.getClientRects().length > 0)
      .filter((other) => {
        const r = other.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.left < box.right - 1 && r.right > box.left + 1 && r.top < box.bottom - 1 && r.bottom > box.top + 1;
      })
      .map((other) => `<${other.tagName.toLowerCase()}> ${(other.textContent ?? "").trim().slice(0, 40)}`);
    return { positioned, overlapping: overlapping.slice(0, 5) };
  });
  expect(found.positioned, "the notice is not positioned over the page").toEqual([]);
  expect(found.overlapping, "nothing shares the notice's box").toEqual([]);
}

test("a notice is shown on the page its action led to, in the page's flow, and is gone once the customer moves on", async ({ page, tally }) => {
  await newSubscriber(page, tally, { card: "pm_card_visa", plan: "starter" });
  await page.goto("/subscription/change");
  await page.getByRole("radio", { name: /^Pro/ }).check();
  await page.getByRole("button", { name: /^Switch now and pay \$/ }).click();
  await page.getByRole("dialog", { name: "Switch to Pro now?" }).getByRole("button", { name: /^Pay \$[\d.]+ and switch$/ }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/");

  const main = page.getByRole("main");
  const notice = main.getByRole("status").filter({ hasText: /^Your plan has changed\. We charged \$\d+\.\d\d\.$/ });
  await expect(notice).toBeVisible();
  await expect(notice).toBeInViewport();
  await expectInFlow(notice);
  expect(page.url()).not.toContain("notice");
  await shoot(page, "notice-after-change");

  // Moving on: the unrelated Add a card page says nothing about the plan change, and neither does
  // the overview when the customer comes back to it or reloads it.
  await page.getByRole("navigation", { name: "Billing portal" }).getByRole("link", { name: "Payment methods" }).click();
  await page.getByRole("link", { name: "Add a card" }).first().click();
  await expect(page.getByRole("heading", { name: "Add a card", level: 1 })).toBeVisible();
  await expect(page.getByText(/Your plan has changed/)).toHaveCount(0);
  await shoot(page, "add-card-after-change");
  await page.getByRole("navigation", { name: "Billing portal" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByRole("heading", { name: "Billing overview", level: 1 })).toBeVisible();
  await expect(page.getByText(/Your plan has changed/)).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Billing overview", level: 1 })).toBeVisible();
  await expect(page.getByText(/Your plan has changed/)).toHaveCount(0);
});

test("at 375 px the cancellation notice sits above the subscription card and covers none of it", async ({ page, tally }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await newSubscriber(page, tally, { card: "pm_card_visa", plan: "starter" });
  await page.goto("/subscription/cancel");
  await page.getByRole("radio", { name: "I'm switching to another product" }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("link", { name: "No thanks, continue to cancel" }).click();
  await page.getByRole("button", { name: "Cancel subscription" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/");

  const notice = page.getByRole("main").getByRole("status").filter({ hasText: /^Your subscription is canceled and stays active until \d+ \w+ \d{4}\. You won't be charged again\.$/ });
  await expect(notice).toBeVisible();
  await expect(notice).toBeInViewport({ ratio: 1 });
  await expectInFlow(notice);
  const card = page.getByRole("region", { name: "Starter" });
  await expect(card.getByText(/^Cancels on /)).toBeVisible();
  const [noticeBox, cardBox] = [await notice.boundingBox(), await card.boundingBox()];
  expect(noticeBox!.y + noticeBox!.height).toBeLessThanOrEqual(cardBox!.y);
  await shoot(page, "notice-after-cancel");
});

const DESTINATIONS = ["Overview", "Usage", "Plans", "Invoices", "Receipts", "Payment methods", "Billing details", "Privacy"];

test("navigation fits a phone: at 375 px a menu button opens every destination, by keyboard too; at 1280 px every tab shows", async ({ page, tally }) => {
  await newSubscriber(page, tally, { card: "pm_card_visa", plan: "starter" });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Billing portal" });
  await expect(nav.getByRole("button", { name: "Menu" })).toBeHidden();
  for (const name of DESTINATIONS) await expect(nav.getByRole("link", { name, exact: true })).toBeInViewport({ ratio: 1 });

  await page.setViewportSize({ width: 375, height: 812 });
  const menu = nav.getByRole("button", { name: "Menu" });
  await expect(menu).toBeInViewport({ ratio: 1 });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav.getByRole("link")).toHaveCount(0);
  await shoot(page, "nav-closed");

  // Keyboard: Enter opens it, every destination is there and fully in view, Escape closes it and
  // leaves focus on the button.
  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  const controlled = await menu.getAttribute("aria-controls");
  expect(controlled).toBeTruthy();
  await expect(page.locator(`[id="${controlled}"]`)).toBeVisible();
  for (const name of DESTINATIONS) await expect(nav.getByRole("link", { name, exact: true })).toBeInViewport({ ratio: 1 });
  await expect(nav.getByRole("link", { name: "Overview", exact: true })).toHaveAttribute("aria-current", "page");
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: "test-results/screens/clarity-nav-open-375.png", fullPage: true });
  await page.keyboard.press("Tab");
  await expect(nav.getByRole("link", { name: "Overview", exact: true })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();

  // Following a link goes there and closes the menu.
  await menu.click();
  await nav.getByRole("link", { name: "Privacy", exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/privacy");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.click();
  await expect(nav.getByRole("link", { name: "Privacy", exact: true })).toHaveAttribute("aria-current", "page");
});

test("a card decline is said once, tied to the card, at checkout, when adding a card and when paying an invoice", async ({ page, tally }) => {
  await newSubscriber(page, tally, { name: "Dana Declined" });

  // Checkout with a card that declines.
  await page.goto("/checkout/starter");
  const number = page.getByLabel("Card number");
  await number.fill("4000 0000 0000 0002");
  await page.getByRole("button", { name: /^Subscribe and pay/ }).click();
  const checkoutDecline = "Your card was declined. Please try another card.";
  await expect(page.getByRole("alert").filter({ hasText: checkoutDecline })).toBeVisible();
  await expect(page.getByText(checkoutDecline)).toHaveCount(1);
  await expectDescribedBy(number, checkoutDecline);
  await shoot(page, "checkout-declined");

  // Adding a card that declines.
  await page.goto("/payment-methods/add");
  const addNumber = page.getByLabel("Card number");
  await addNumber.fill("4000 0000 0000 0002");
  await page.getByRole("button", { name: "Save card" }).click();
  const addDecline = "Your card was declined. Your card was not saved. Please try another card.";
  await expect(page.getByRole("alert").filter({ hasText: addDecline })).toBeVisible();
  await expect(page.getByText(addDecline)).toHaveCount(1);
  await expectDescribedBy(addNumber, addDecline);
  await shoot(page, "add-card-declined");

  // Paying an open invoice with a saved card that declines.
  await newSubscriber(page, tally, { name: "Ola Open", card: "pm_card_chargeCustomerFail", plan: "starter" });
  await page.goto("/invoices");
  await page.getByRole("link", { name: /^TLY-\d{6}$/ }).first().click();
  await page.getByRole("button", { name: "Pay $10.00 now" }).click();
  const invoiceDecline = "Nothing was charged. Please try another card.";
  await expect(page.getByRole("alert").filter({ hasText: invoiceDecline })).toBeVisible();
  await expect(page.getByText(invoiceDecline)).toHaveCount(1);
  await expectDescribedBy(page.getByRole("radiogroup", { name: "Pay with" }), invoiceDecline);
  await shoot(page, "invoice-declined");
});

/** The control is marked invalid and its description (aria-describedby) carries the message. */
async function expectDescribedBy(control: Locator, message: string): Promise<void> {
  await expect(control).toHaveAttribute("aria-invalid", "true");
  const description = await control.evaluate((el) =>
    (el.getAttribute("aria-describedby") ?? "")
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? "")
      .join(" "),
  );
  expect(description).toContain(message);
}

test("an invoice page names the invoice once, as its one main heading, with its sections below it", async ({ page, api, tally }) => {
  const { invoiceId } = await newSubscriber(page, tally, { card: "pm_card_visa", plan: "starter" });
  const number = String((await api(`/invoices/${invoiceId}`)).body.number);
  expect(number).toMatch(/^TLY-\d{6}$/);
  await page.goto(`/invoices/${invoiceId}`);
  const main = page.getByRole("main");
  await expect(main.getByRole("heading", { level: 1 })).toHaveText(`Invoice ${number}`);
  await expect(main.getByText(number)).toHaveCount(1);
  const headings = await main.getByRole("heading").evaluateAll((els) => els.map((el) => ({ level: Number(el.tagName.slice(1)), text: (el.textContent ?? "").trim() })));
  expect(headings.map((h) => h.level)).toEqual([1, 2, 2]);
  expect(headings.map((h) => h.text)).toEqual([`Invoice ${number}`, "Summary", "Payments"]);
  await expect(main.getByText("Paid", { exact: true }).first()).toBeVisible();
  await shoot(page, "invoice-paid");
});
