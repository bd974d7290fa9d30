import type { Page } from "@playwright/test";
import { expect, newSubscriber, test } from "./fixtures";

/** Full-page screenshots at desktop and phone width, looked at by people reviewing the page. */
async function shots(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: `test-results/screens/${name}-375.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
}

/** The row of one saved card, by its own label (other rows' confirmations mention it too). */
const cardRow = (page: Page, label: string) => page.getByTestId("saved-card").filter({ has: page.getByText(label, { exact: true }) });

test("payment methods: add 4242, add a second card, make it the default, remove the first with confirmation; a declined card is refused in words", async ({ page, tally }) => {
  await newSubscriber(page, tally, { name: "Pat Cards" });
  await page.goto("/payment-methods");
  await expect(page.getByRole("heading", { name: "No saved cards" })).toBeVisible();
  await shots(page, "payment-methods-empty");

  // The first card: always the default.
  await page.getByRole("link", { name: "Add a card" }).click();
  await expect(page).toHaveURL(/\/payment-methods\/add$/);
  const csp = (await page.request.get("/payment-methods/add")).headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' https:\/\/js\.stripe\.com/);
  await expect(page.getByText("This will be your default card.")).toBeVisible();
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await expect(page.getByText("Test card: Succeeds")).toBeVisible();
  await shots(page, "payment-methods-add");
  await page.getByRole("button", { name: "Save card" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Visa ending 4242 is now your default card." })).toBeVisible();
  await shots(page, "payment-methods-add-saved");
  await page.getByRole("link", { name: "Done" }).click();
  await expect(cardRow(page, "Visa ending 4242").getByText("Default", { exact: true })).toBeVisible();
  await expect(cardRow(page, "Visa ending 4242").getByText("Expires 12/2034")).toBeVisible();

  // A declined card: the bank's words next to the card field, nothing saved.
  await page.getByRole("link", { name: "Add a card" }).click();
  await page.getByLabel("Card number").fill("4000 0000 0000 0002");
  const useAsDefault = page.getByLabel("Use as my default card");
  await expect(useAsDefault).toBeChecked();
  await useAsDefault.uncheck();
  await page.getByRole("button", { name: "Save card" }).click();
  const declined = "Your card was declined. Your card was not saved. Please try another card.";
  await expect(page.getByRole("alert").filter({ hasText: declined })).toBeVisible();
  await expect(page.getByLabel("Card number")).toHaveAttribute("aria-invalid", "true");
  await shots(page, "payment-methods-add-declined");

  // The declined card is not in the list, and 4242 is still the default.
  await page.goto("/payment-methods");
  await expect(page.getByTestId("saved-card")).toHaveCount(1);
  await expect(page.getByText("Visa ending 0002")).toHaveCount(0);
  await expect(cardRow(page, "Visa ending 4242").getByText("Default", { exact: true })).toBeVisible();
  await page.goto("/payment-methods/add");

  // A second card, not as the default.
  await page.getByLabel("Card number").fill("4000 0000 0000 0002");
  await useAsDefault.uncheck();
  await page.getByRole("button", { name: "Save card" }).click();
  await expect(page.getByRole("alert").filter({ hasText: declined })).toBeVisible();
  // What was chosen stays as it was after the refusal.
  await expect(useAsDefault).not.toBeChecked();
  await page.getByLabel("Card number").fill("5555 5555 5555 4444");
  await page.getByRole("button", { name: "Save card" }).click();
  await expect(page.getByText("Mastercard ending 4444 is saved. Your default card stays as it was.")).toBeVisible();
  await page.goto("/payment-methods");
  await expect(page.getByTestId("saved-card")).toHaveCount(2);
  await expect(cardRow(page, "Mastercard ending 4444").getByText("Default", { exact: true })).toHaveCount(0);

  // Make it the default.
  await cardRow(page, "Mastercard ending 4444").getByRole("button", { name: "Make Mastercard ending 4444 your default card" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Mastercard ending 4444 is now your default card." })).toBeVisible();
  await expect(cardRow(page, "Mastercard ending 4444").getByText("Default", { exact: true })).toBeVisible();
  await expect(cardRow(page, "Visa ending 4242").getByText("Default", { exact: true })).toHaveCount(0);
  await shots(page, "payment-methods-list");

  // Remove the Visa: the confirmation says what happens; Keep card changes nothing.
  await cardRow(page, "Visa ending 4242").getByRole("button", { name: "Remove Visa ending 4242" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove Visa ending 4242?" });
  await expect(dialog).toContainText("Your default card stays as it is and nothing is charged.");
  await shots(page, "payment-methods-remove-dialog");
  await dialog.getByRole("button", { name: "Keep card" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("saved-card")).toHaveCount(2);
  await cardRow(page, "Visa ending 4242").getByRole("button", { name: "Remove Visa ending 4242" }).click();
  await dialog.getByRole("button", { name: "Remove card" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Visa ending 4242 was removed." })).toBeVisible();
  await expect(page.getByTestId("saved-card")).toHaveCount(1);
  await expect(cardRow(page, "Mastercard ending 4444").getByText("Default", { exact: true })).toBeVisible();
});

test("a card that needs the bank's confirmation at setup (…3155) is saved only after Confirm", async ({ page, tally }) => {
  await newSubscriber(page, tally, { card: "pm_card_visa" });
  await page.goto("/payment-methods/add?return=/invoices");
  await page.getByLabel("Card number").fill("4000 0025 0000 3155");
  await page.getByRole("button", { name: "Save card" }).click();
  await expect(page.getByRole("heading", { name: "Your bank asks you to confirm this card" })).toBeVisible();
  await shots(page, "payment-methods-add-confirm-step");

  // Cancel: not saved, and said so.
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByText("You cancelled the bank's confirmation, so the card was not saved.")).toBeVisible();
  await page.getByLabel("Card number").fill("4000 0025 0000 3155");
  await page.getByRole("button", { name: "Save card" }).click();
  await page.getByRole("button", { name: "Confirm card" }).click();
  await expect(page.getByText("Visa ending 3155 is now your default card.")).toBeVisible();
  await page.getByRole("link", { name: "Back to invoices" }).click();
  await expect(page).toHaveURL(/\/invoices$/);
  await page.goto("/payment-methods");
  await expect(page.getByTestId("saved-card")).toHaveCount(2);
});

test("with a subscription renewing, the only card can't be removed, and removing the default names the new default and the renewal", async ({ page, tally }) => {
  await newSubscriber(page, tally, { card: "pm_card_visa", plan: "starter" });
  await page.goto("/payment-methods");
  await cardRow(page, "Visa ending 4242").getByRole("button", { name: "Remove Visa ending 4242" }).click();
  const refuse = page.getByRole("dialog", { name: "Add another card first" });
  await expect(refuse).toContainText(/Visa ending 4242 is your only card, and your subscription renews with it \(your next renewal on \d{1,2} \w{3} \d{4} for \$10\.00\)/);
  await shots(page, "payment-methods-last-card");
  await refuse.getByRole("link", { name: "Add another card" }).click();
  await expect(page).toHaveURL(/\/payment-methods\/add$/);

  await page.getByLabel("Card number").fill("5555 5555 5555 4444");
  await page.getByLabel("Use as my default card").uncheck();
  await page.getByRole("button", { name: "Save card" }).click();
  await expect(page.getByText("Mastercard ending 4444 is saved.")).toBeVisible();
  await page.goto("/payment-methods");
  await cardRow(page, "Visa ending 4242").getByRole("button", { name: "Remove Visa ending 4242" }).click();
  const confirm = page.getByRole("dialog", { name: "Remove Visa ending 4242?" });
  await expect(confirm).toContainText(/Mastercard ending 4444 becomes your default and your next renewal on \d{1,2} \w{3} \d{4} for \$10\.00 will be charged to it\. Nothing is charged now\./);
  await confirm.getByRole("button", { name: "Remove card" }).click();
  await expect(page.getByTestId("saved-card")).toHaveCount(1);
  await expect(cardRow(page, "Mastercard ending 4444").getByText("Default", { exact: true })).toBeVisible();
});

test("a card declined at checkout (…0002) is not saved: the saved 4242 stays the only card and the default", async ({ page, tally }) => {
  await newSubscriber(page, tally, { card: "pm_card_visa" });
  await page.goto("/checkout/starter");
  await page.getByLabel("Use a new card").check();
  await page.getByLabel("Card number").fill("4000 0000 0000 0002");
  await page.getByRole("button", { name: "Subscribe and pay $10.00" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Your card was declined. Please try another card." })).toBeVisible();
  await page.goto("/payment-methods");
  await expect(page.getByTestId("saved-card")).toHaveCount(1);
  await expect(page.getByText("Visa ending 0002")).toHaveCount(0);
  await expect(cardRow(page, "Visa ending 4242").getByText("Default", { exact: true })).toBeVisible();
});
