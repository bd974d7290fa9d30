import type { Locator, Page } from "@playwright/test";
import { expect, signInAs, test } from "./fixtures";

type Api = Parameters<Parameters<typeof test>[2]>[0]["api"];

let count = 0;

/** A fresh AUD customer with `card`, subscribed to `plan` through the API. */
async function customerOn(api: Api, plan: "starter" | "starter-annual", card = "pm_card_visa", name = "Casey Customer") {
  count += 1;
  const email = `staff-${Date.now().toString(36)}-${count}@example.com`;
  const customer = await api("/customers", { method: "POST", body: { email, name, currency: "aud", timezone: "Australia/Sydney", address: { country: "AU" } } });
  expect(customer.status).toBe(200);
  const customerId = String(customer.body.id);
  expect((await api(`/customers/${customerId}/payment_methods`, { method: "POST", body: { token: card } })).status).toBe(200);
  const plans = await api(`/plans?code=${plan}`);
  const price = (plans.body.data as { prices: { id: string; currency: string }[] }[])[0]!.prices.find((p) => p.currency === "aud")!;
  const sub = await api("/subscriptions", { method: "POST", body: { customer: customerId, items: [{ price: price.id, quantity: 1 }] } });
  expect(sub.status).toBe(200);
  const invoice = await api(`/invoices/${String(sub.body.latest_invoice)}`);
  return { customerId, email, subscriptionId: String(sub.body.id), invoiceId: String(sub.body.latest_invoice), invoiceNumber: String(invoice.body.number) };
}

const customerUrl = (id: string, query = "") => `/admin/customers/${id}${query ? `?${query}` : ""}`;

async function openDialog(page: Page, trigger: Locator, title: string | RegExp): Promise<Locator> {
  await trigger.click();
  const dialog = page.getByRole("dialog", { name: title });
  await expect(dialog).toBeVisible();
  return dialog;
}

async function toast(page: Page, text: string | RegExp) {
  await expect(page.getByRole("region", { name: "Notifications" }).getByText(text)).toBeVisible();
}

/** The value of a figure in the stat row under the customer's name. */
const stat = (page: Page, label: string) => page.locator("dt", { hasText: new RegExp(`^${label}$`) }).locator("..");

/** Pages in full; dialogs as the viewport shows them (a modal sits in the viewport). */
async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/admin-customer/${name}.png`, fullPage: !name.startsWith("dialog-") });
}

test.describe("customer page actions (billing admin)", () => {
  test.beforeEach(async ({ context, baseURL }) => {
    await signInAs(context, "billing_admin", baseURL!);
  });

  test("partial refund from the payments tab states the card and the amounts, then shows the refund", async ({ page, api }) => {
    const { customerId } = await customerOn(api, "starter");
    await page.goto(customerUrl(customerId, "tab=payments"));
    const dialog = await openDialog(page, page.getByRole("button", { name: "Refund" }), "Refund a payment of $10.00");
    const amount = dialog.getByLabel("Amount to refund");
    await expect(amount).toHaveValue("10.00");
    await amount.fill("4");
    await expect(dialog.getByTestId("money-effect")).toHaveText(/^Refund \$4\.00 of \$10\.00 to Visa ending 4242\./);
    await amount.fill("12");
    await expect(dialog.getByTestId("money-effect")).toContainText("$12.00 is more than the $10.00 not yet refunded");
    await expect(dialog.getByRole("button", { name: "Refund" })).toBeDisabled();
    await amount.fill("4.00");
    await shot(page, "dialog-refund-1280");
    await dialog.getByRole("button", { name: "Refund" }).click();
    await toast(page, "Refunded $4.00.");
    await expect(dialog).toBeHidden();
    const refunds = page.getByRole("table", { name: "Refunds" });
    await expect(refunds.getByRole("row").nth(1)).toContainText("Succeeded");
    await expect(refunds.getByRole("row").nth(1)).toContainText("$4.00");
    await expect(page.getByRole("table", { name: "Payments" }).getByRole("row").nth(1)).toContainText("$4.00");
    // The refund was issued as a credit note on the invoice.
    await page.goto(customerUrl(customerId, "tab=credit-notes"));
    await expect(page.getByRole("table", { name: "Credit notes" })).toContainText("Refunded to card");
  });

  test("credit note on a paid invoice to the balance, and a grant of credit, move the balance", async ({ page, api }) => {
    const { customerId, invoiceId, invoiceNumber } = await customerOn(api, "starter");
    await page.goto(customerUrl(customerId, `tab=invoices&invoice=${invoiceId}`));
    const panel = page.getByRole("region", { name: `Invoice ${invoiceNumber}` });
    await expect(panel).toBeVisible();
    const dialog = await openDialog(page, panel.getByRole("button", { name: "Issue credit note" }), `Credit note on ${invoiceNumber}`);
    await dialog.getByLabel("Amount to credit").fill("3.00");
    await dialog.getByLabel("What happens to the money").selectOption("credit");
    await expect(dialog.getByTestId("money-effect")).toHaveText(`Credit $3.00 on ${invoiceNumber}: added to the customer's credit balance and used by their next invoices.`);
    await dialog.getByLabel("What happens to the money").selectOption("refund");
    await expect(dialog.getByTestId("money-effect")).toHaveText(`Credit $3.00 on ${invoiceNumber}: $3.00 is refunded to Visa ending 4242.`);
    await dialog.getByLabel("What happens to the money").selectOption("credit");
    await shot(page, "dialog-credit-note-1280");
    await dialog.getByRole("button", { name: "Issue credit note" }).click();
    await toast(page, /Credit note CN-\d+ issued for \$3\.00\./);
    await expect(stat(page, "Credit balance")).toContainText("$3.00");

    const grant = await openDialog(page, page.getByRole("button", { name: "Grant credit" }), "Grant credit");
    await grant.getByLabel("Amount").fill("50");
    await grant.getByLabel("Reason").fill("Sorry for the outage");
    await expect(grant.getByTestId("money-effect")).toHaveText("Grant $50.00 credit: applied to the next invoices. The balance goes from $3.00 to $53.00.");
    await shot(page, "dialog-grant-credit-1280");
    await grant.getByRole("button", { name: "Grant credit" }).click();
    await toast(page, "Granted $50.00; the balance is now $53.00.");
    await expect(stat(page, "Credit balance")).toContainText("$53.00");
    await page.goto(customerUrl(customerId));
    await expect(page.getByRole("table", { name: "Recent balance changes" })).toContainText("Sorry for the outage");
    await expect(page.getByRole("table", { name: "Recent balance changes" })).toContainText("Credit note");
  });

  test("void an unpaid invoice, and record a manual payment on another", async ({ page, api }) => {
    const declined = await customerOn(api, "starter", "pm_card_chargeDeclinedInsufficientFunds");
    await page.goto(customerUrl(declined.customerId, `tab=invoices&invoice=${declined.invoiceId}`));
    const panel = page.getByRole("region", { name: `Invoice ${declined.invoiceNumber}` });
    const voiding = await openDialog(page, panel.getByRole("button", { name: "Void" }), `Void ${declined.invoiceNumber}`);
    await expect(voiding.getByTestId("money-effect")).toHaveText(`Void ${declined.invoiceNumber} ($10.00): the customer will no longer owe it. It keeps its number; this cannot be undone.`);
    await shot(page, "dialog-void-1280");
    await voiding.getByRole("button", { name: "Void invoice" }).click();
    await toast(page, `Invoice ${declined.invoiceNumber} voided.`);
    await expect(panel.getByText("Void", { exact: true })).toBeVisible();
    await expect(stat(page, "Owed")).toContainText("$0.00");

    const other = await customerOn(api, "starter", "pm_card_chargeDeclinedInsufficientFunds");
    await page.goto(customerUrl(other.customerId, `tab=invoices&invoice=${other.invoiceId}`));
    const otherPanel = page.getByRole("region", { name: `Invoice ${other.invoiceNumber}` });
    const manual = await openDialog(page, otherPanel.getByRole("button", { name: "Record payment" }), `Record a payment on ${other.invoiceNumber}`);
    await manual.getByLabel("Amount received").fill("6.00");
    await manual.getByLabel("Reference").fill("BANK-REF-991");
    await expect(manual.getByTestId("money-effect")).toHaveText(`Record $6.00 received by bank transfer against ${other.invoiceNumber}: $4.00 will still be owed. No card is charged.`);
    await manual.getByLabel("Amount received").fill("10.00");
    await expect(manual.getByTestId("money-effect")).toContainText("the invoice is paid in full.");
    await shot(page, "dialog-manual-payment-1280");
    await manual.getByRole("button", { name: "Record payment" }).click();
    await toast(page, "Recorded $10.00; the invoice is paid.");
    await expect(otherPanel.getByText("Paid", { exact: true })).toBeVisible();
  });

  test("change plan with the proration preview, then apply a coupon", async ({ page, api }) => {
    const coupon = await api("/coupons", { method: "POST", body: { name: `Winback ${Date.now().toString(36)}`, percent_off: 20, duration: "once" } });
    expect(coupon.status).toBe(200);
    const couponLabel = `${String(coupon.body.name)} (20% off, once)`;
    const { customerId } = await customerOn(api, "starter");
    await page.goto(customerUrl(customerId, "tab=subscriptions"));
    const starter = page.getByRole("region", { name: "Subscription Starter" });

    const changing = await openDialog(page, starter.getByRole("button", { name: "Change plan" }), "Change Starter");
    await changing.getByLabel("Plan").selectOption({ label: "Pro — $29.00 / month" });
    await changing.getByLabel("Quantity").fill("2");
    await changing.getByRole("button", { name: "Preview change" }).click();
    const summary = changing.getByTestId("change-summary");
    await expect(summary).toHaveText(/^\$\d+\.\d{2} today, then \$58\.00 on \d{1,2} [A-Z][a-z]{2} \d{4}\.$/);
    // Each proration line is listed with its amount: the unused Starter time back, the new plan's time charged.
    const lines = changing.getByTestId("money-effect").getByRole("listitem");
    await expect(lines).toHaveCount(2);
    await expect(lines.first()).toContainText("Unused time on Starter");
    await expect(lines.first()).toContainText("−$");
    await shot(page, "dialog-change-plan-1280");
    // Editing a choice clears the preview: it must be previewed again before confirming.
    await changing.getByLabel("Quantity").fill("1");
    await expect(changing.getByRole("button", { name: "Preview change" })).toBeVisible();
    await expect(changing.getByRole("button", { name: /^Confirm change/ })).toHaveCount(0);
    await changing.getByRole("button", { name: "Preview change" }).click();
    await expect(summary).toHaveText(/today, then \$29\.00 on /);
    const dueNow = (await summary.textContent())!.split(" today")[0]!;
    await changing.getByRole("button", { name: `Confirm change and charge ${dueNow}` }).click();
    await toast(page, /^Plan changed\. Invoice TLY-\d+ is paid\.$/);
    const pro = page.getByRole("region", { name: "Subscription Pro" });
    await expect(pro).toBeVisible();
    await expect(pro).toContainText("$29.00 / month incl. GST");

    const applying = await openDialog(page, pro.getByRole("button", { name: "Apply coupon" }), "Apply a coupon to Pro");
    await applying.getByLabel("Coupon").selectOption({ label: couponLabel });
    await expect(applying.getByTestId("money-effect")).toContainText(`Apply ${couponLabel} to Pro: it discounts the invoices from the next renewal`);
    await expect(applying.getByTestId("money-effect")).toContainText("nothing is charged or refunded now.");
    await shot(page, "dialog-coupon-1280");
    await applying.getByRole("button", { name: "Apply coupon" }).click();
    await toast(page, "Coupon applied to the next invoices.");
    await expect(pro).toContainText(couponLabel);
  });

  test("change plan on Starter plus API calls: Starter is replaced, the API calls add-on stays", async ({ page, api }) => {
    const { customerId, subscriptionId } = await customerOn(api, "starter");
    const priceOf = async (code: string) => ((await api(`/plans?code=${code}`)).body.data as { prices: { id: string; currency: string }[] }[])[0]!.prices.find((p) => p.currency === "aud")!.id;
    const [starterPrice, callsPrice, proPrice] = [await priceOf("starter"), await priceOf("api-calls"), await priceOf("pro")];
    const added = await api(`/subscriptions/${subscriptionId}`, { method: "PATCH", body: { items: [{ price: starterPrice, quantity: 1 }, { price: callsPrice, quantity: 1 }], proration_behavior: "create_prorations" } });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    await page.goto(customerUrl(customerId, "tab=subscriptions"));
    const both = page.getByRole("region", { name: "Subscription Starter, API calls" });

    const changing = await openDialog(page, both.getByRole("button", { name: "Change plan" }), "Change Starter, API calls");
    await expect(changing.getByTestId("kept-add-ons")).toHaveText("API calls stays on the subscription at its price: usage keeps counting and is billed at the end of the period.");
    await changing.getByLabel("Plan").selectOption({ label: "Pro — $29.00 / month" });
    await changing.getByRole("button", { name: "Preview change" }).click();
    const lines = changing.getByTestId("money-effect").getByRole("listitem");
    await expect(lines).toHaveCount(2);
    await expect(lines.first()).toContainText("Unused time on Starter");
    await expect(lines.last()).toContainText("Remaining time on Pro");
    await shot(page, "dialog-change-plan-add-on-1280");
    await page.setViewportSize({ width: 375, height: 800 });
    await shot(page, "dialog-change-plan-add-on-375");
    await page.setViewportSize({ width: 1280, height: 800 });
    const dueNow = (await changing.getByTestId("change-summary").textContent())!.split(" today")[0]!;
    await changing.getByRole("button", { name: `Confirm change and charge ${dueNow}` }).click();
    await toast(page, /^Plan changed\. Invoice TLY-\d+ is paid\.$/);
    await expect(page.getByRole("region", { name: "Subscription Pro, API calls" })).toBeVisible();
    const after = await api(`/subscriptions/${subscriptionId}`);
    expect((after.body.items as { price: string }[]).map((i) => i.price)).toEqual([proPrice, callsPrice]);
  });

  test("add a note and escalate; a billing admin resolves the escalation", async ({ page, api, context, baseURL }) => {
    const { customerId } = await customerOn(api, "starter");
    await signInAs(context, "support", baseURL!);
    await page.goto(customerUrl(customerId, "tab=notes"));
    await page.getByLabel("New note").fill("Called about the March invoice; explained proration.");
    await page.getByRole("button", { name: "Add note" }).click();
    await toast(page, "Note added.");
    await expect(page.getByRole("list", { name: "Notes" })).toContainText("Called about the March invoice");
    await expect(page.getByLabel("New note")).toHaveValue("");
    await page.getByLabel("New note").fill("Customer wants a refund of $80, above my limit.");
    await page.getByRole("button", { name: "Escalate to a billing admin" }).click();
    await toast(page, "Escalated to a billing admin.");
    await expect(page.getByRole("list", { name: "Notes" }).getByText("Escalated · open")).toBeVisible();
    await expect(page.getByRole("main").locator("header").getByText("Escalated")).toBeVisible();
    // Support cannot resolve escalations.
    await expect(page.getByRole("button", { name: "Resolve" })).toHaveCount(0);
    await shot(page, "tab-notes-support-1280");

    await signInAs(context, "billing_admin", baseURL!);
    await page.goto(customerUrl(customerId, "tab=notes"));
    await expect(page.getByRole("region", { name: "Open escalations" })).toContainText("Customer wants a refund of $80");
    const resolving = await openDialog(page, page.getByRole("button", { name: "Resolve" }), "Resolve the escalation");
    await resolving.getByLabel("What was done").fill("Refunded $80.00 as a goodwill gesture.");
    await resolving.getByRole("button", { name: "Resolve" }).click();
    await toast(page, "Escalation resolved.");
    await expect(page.getByRole("list", { name: "Notes" }).getByText("Escalation resolved")).toBeVisible();
    await expect(page.getByRole("main").locator("header").getByText("Escalated")).toHaveCount(0);
    await page.goto(customerUrl(customerId, "tab=timeline&kinds=staff"));
    const timeline = page.getByRole("list", { name: "Timeline, newest first" });
    await expect(timeline.getByRole("listitem").first()).toContainText("Escalation resolved: Refunded $80.00 as a goodwill gesture.");
    await expect(timeline).toContainText("Note: Called about the March invoice");
  });
});

test.describe("roles on the customer page", () => {
  test("a finance viewer reads every tab but sees no action buttons", async ({ page, api, context, baseURL }) => {
    const { customerId, invoiceId } = await customerOn(api, "starter");
    await signInAs(context, "finance_viewer", baseURL!);
    await page.goto(customerUrl(customerId));
    await expect(page.getByRole("heading", { level: 1, name: "Casey Customer" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Grant credit" })).toHaveCount(0);
    for (const query of ["tab=subscriptions", `tab=invoices&invoice=${invoiceId}`, "tab=payments", "tab=notes", "tab=timeline"]) {
      await page.goto(customerUrl(customerId, query));
      await expect(page.getByRole("navigation", { name: "Customer sections" })).toBeVisible();
      await expect(page.locator("main button")).toHaveCount(0);
    }
    await expect(page.getByLabel("New note")).toHaveCount(0);
  });

  test("support sees the refund limit before the click, sends a larger refund to billing admins, who see it and act on it", async ({ page, api, context, baseURL }) => {
    const name = `Rowan Refund ${Date.now().toString(36)}`;
    const { customerId } = await customerOn(api, "starter-annual", "pm_card_visa", name);
    await signInAs(context, "support", baseURL!);
    await page.goto(customerUrl(customerId, "tab=payments"));
    await expect(page.getByRole("button", { name: "Grant credit" })).toHaveCount(0);
    const dialog = await openDialog(page, page.getByRole("button", { name: "Refund" }), "Refund a payment of $100.00");
    await expect(dialog.getByText("Your refund limit is $50.00 per refund.")).toBeVisible();
    const refund = dialog.getByRole("button", { name: "Refund" });
    const escalate = dialog.getByRole("button", { name: "Escalate to a billing admin" });
    // The whole payment is filled in: above the limit before anything is clicked.
    await expect(dialog.getByTestId("money-effect")).toContainText("Your refund limit is $50.00; this refund is $100.00.");
    await expect(refund).toBeDisabled();
    await dialog.getByLabel("Amount to refund").fill("60.00");
    await expect(dialog.getByTestId("money-effect")).toContainText("Your refund limit is $50.00; this refund is $60.00.");
    await expect(refund).toBeDisabled();
    await expect(escalate).toBeEnabled();
    await shot(page, "dialog-refund-over-limit-1280");
    await page.setViewportSize({ width: 375, height: 812 });
    await shot(page, "dialog-refund-over-limit-375");
    await page.setViewportSize({ width: 1280, height: 900 });
    // Within the limit the refund is back and the escalation goes away.
    await dialog.getByLabel("Amount to refund").fill("50.00");
    await expect(refund).toBeEnabled();
    await expect(escalate).toHaveCount(0);
    await dialog.getByLabel("Amount to refund").fill("60.00");
    await escalate.click();
    await toast(page, "Sent to billing admins: refund $60.00.");
    await expect(dialog).toBeHidden();
    const requests = page.getByRole("region", { name: "Refund requests" });
    await expect(requests).toContainText("Refund $60.00 of the $100.00 payment");
    await expect(requests).toContainText("Sent to billing admins · open");
    await expect(requests.getByRole("button", { name: "Resolve" })).toHaveCount(0);
    await shot(page, "tab-payments-refund-request-support-1280");
    await page.setViewportSize({ width: 375, height: 812 });
    await shot(page, "tab-payments-refund-request-support-375");
    await page.setViewportSize({ width: 1280, height: 900 });

    // Asking again is not possible while the request is open; a refund within the limit still is.
    const again = await openDialog(page, page.getByRole("button", { name: "Refund" }), "Refund a payment of $100.00");
    await again.getByLabel("Amount to refund").fill("70.00");
    await expect(again.getByTestId("money-effect")).toContainText("A refund of $60.00 on this payment was sent to billing admins on");
    await expect(again.getByRole("button", { name: "Sent to billing admins" })).toBeDisabled();
    await again.getByLabel("Amount to refund").fill("20.00");
    await again.getByRole("button", { name: "Refund" }).click();
    await toast(page, "Refunded $20.00.");
    await expect(page.getByRole("table", { name: "Refunds" })).toContainText("$20.00");

    // A billing admin finds the request in the work queue, makes the refund and resolves it.
    await signInAs(context, "billing_admin", baseURL!);
    await page.goto("/admin/queues?queue=escalations");
    const row = page.getByRole("row", { name: new RegExp(name) });
    await expect(row).toContainText("Refund request: please refund $60.00 of the $100.00 payment");
    await expect(row).toContainText("support@demo.tally.test");
    await shot(page, "queue-escalations-1280");
    await page.setViewportSize({ width: 375, height: 812 });
    await shot(page, "queue-escalations-375");
    await page.setViewportSize({ width: 1280, height: 900 });
    await row.getByRole("link", { name }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/customers/${customerId}\\?tab=payments$`));
    await expect(page.getByRole("main").locator("header").getByText("Escalated")).toBeVisible();
    await shot(page, "tab-payments-refund-request-admin-1280");
    const answer = await openDialog(page, page.getByRole("button", { name: "Refund" }), "Refund a payment of $100.00");
    await expect(answer.getByLabel("Amount to refund")).toHaveValue("60.00");
    await answer.getByRole("button", { name: "Refund" }).click();
    await toast(page, "Refunded $60.00.");
    const resolving = await openDialog(page, page.getByRole("region", { name: "Refund requests" }).getByRole("button", { name: "Resolve" }), "Resolve the escalation");
    await resolving.getByLabel("What was done").fill("Refunded $60.00.");
    await resolving.getByRole("button", { name: "Resolve" }).click();
    await toast(page, "Escalation resolved.");
    await expect(page.getByRole("region", { name: "Refund requests" })).toHaveCount(0);
    await expect(page.getByRole("main").locator("header").getByText("Escalated")).toHaveCount(0);
  });
});

test.describe("screenshots", () => {
  test("every tab and a dialog at 1280 and 375 px", async ({ page, api, context, baseURL }) => {
    test.setTimeout(120_000);
    const { customerId, invoiceId } = await customerOn(api, "starter", "pm_card_visa", "Robin Screenshot");
    await api(`/customers/${customerId}/credit_grants`, { method: "POST", body: { amount: 1500, currency: "aud", reason: "Welcome credit" } });
    await signInAs(context, "billing_admin", baseURL!);
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
      for (const tab of ["overview", "subscriptions", "invoices", "payments", "credit-notes", "disputes", "emails", "notes", "timeline"]) {
        await page.goto(customerUrl(customerId, tab === "invoices" ? `tab=invoices&invoice=${invoiceId}` : `tab=${tab}`));
        await expect(page.getByRole("navigation", { name: "Customer sections" }).getByRole("link", { name: new RegExp(`^${tab === "credit-notes" ? "Credit notes" : tab}`, "i") })).toHaveAttribute("aria-current", "page");
        await shot(page, `tab-${tab}-${width}`);
      }
      await page.goto(customerUrl(customerId, "tab=subscriptions"));
      const dialog = await openDialog(page, page.getByRole("button", { name: "Change plan" }), "Change Starter");
      await dialog.getByRole("button", { name: "Preview change" }).click();
      await expect(dialog.getByTestId("change-summary")).toBeVisible();
      await shot(page, `dialog-change-plan-${width}`);
      await dialog.getByRole("button", { name: "Cancel" }).click();
      const cancel = await openDialog(page, page.getByRole("button", { name: "Cancel subscription" }), "Cancel Starter");
      await cancel.getByLabel("When").selectOption("now");
      await expect(cancel.getByLabel("Unused time")).toBeVisible();
      await expect(cancel.getByTestId("money-effect")).toContainText("Starter ends now.");
      await shot(page, `dialog-cancel-${width}`);
      await cancel.getByRole("button", { name: "Keep subscription" }).click();
    }
  });
});
