import { expect, newSubscriber, shoot, test } from "./fixtures";

test("an invoice below the minimum card charge says it was added to the balance, the overview names it, and the next invoice collects it", async ({ page, api, tally }) => {
  const { customerId } = await newSubscriber(page, tally, { name: "Mina Minimum", card: "pm_card_visa" });
  const small = await api("/invoices", { method: "POST", body: { customer: customerId, lines: [{ description: "Extra storage", amount: 30, tax_behavior: "inclusive" }], auto_advance: true } });
  expect(small.status).toBe(200);
  expect(small.body).toMatchObject({ status: "paid", amount_due: 30, amount_paid: 0, carried_to_balance: 30 });
  const smallId = String(small.body.id);

  await page.goto(`/invoices/${smallId}`);
  await expect(page.getByRole("heading", { name: String(small.body.number), level: 1 })).toBeVisible();
  await expect(page.getByText("$0.30 added to your next invoice")).toBeVisible();
  await expect(page.getByTestId("carried-to-balance")).toHaveText(
    "$0.30 is less than the smallest amount a card can be charged ($0.50), so it was not charged. It was added to your account balance and will be collected with your next invoice.",
  );
  await expect(page.getByText("Added to your balance", { exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Pay this invoice" })).toHaveCount(0);
  await expect(page.getByText("None: nothing was charged.")).toBeVisible();
  await shoot(page, "portal-invoice-below-minimum");

  await page.goto("/");
  await expect(page.getByTestId("balance-carried")).toHaveText("$0.30 from invoices below the smallest amount a card can be charged will be added to your next invoice.");
  await shoot(page, "portal-overview-carried");

  // The next invoice collects it: A$10.00 + A$0.30 carried = A$10.30 charged.
  const next = await api("/invoices", { method: "POST", body: { customer: customerId, lines: [{ description: "Workshop", amount: 1000, tax_behavior: "inclusive" }], auto_advance: true } });
  expect(next.body).toMatchObject({ status: "paid", debit_applied: 30, amount_due: 1030, amount_paid: 1030 });
  await page.goto(`/invoices/${String(next.body.id)}`);
  await expect(page.getByText("Carried from earlier invoices")).toBeVisible();
  await expect(page.getByText("+$0.30")).toBeVisible();
  await shoot(page, "portal-invoice-collects-carried");
  await page.goto("/");
  await expect(page.getByTestId("balance-carried")).toHaveCount(0);
});
