import type { Page } from "@playwright/test";
import { expect, signInAs, test } from "./fixtures";

type Api = Parameters<Parameters<typeof test>[2]>[0]["api"];

// The staff member reads in Sydney; the customer lives in Auckland on a test clock frozen at
// 6 Jan 2027, 09:00 in Auckland (7:00 in Sydney).
test.use({ viewport: { width: 1280, height: 900 }, timezoneId: "Australia/Sydney" });
const FROZEN = "2027-01-05T20:00:00.000Z";

/** An NZ-zoned AUD customer on a fresh test clock, with a Visa, subscribed to Starter ($10.00): its first invoice paid. */
async function clockCustomer(api: Api, name: string) {
  const clock = await api("/test_clocks", { method: "POST", body: { frozen_time: FROZEN, name: `timeline ${name}` } });
  expect(clock.status).toBe(200);
  const email = `tl-${Date.now().toString(36)}@example.com`;
  const customer = await api("/customers", { method: "POST", body: { email, name, currency: "aud", timezone: "Pacific/Auckland", address: { country: "AU" }, test_clock: clock.body.id } });
  expect(customer.status).toBe(200);
  const customerId = String(customer.body.id);
  expect((await api(`/customers/${customerId}/payment_methods`, { method: "POST", body: { token: "pm_card_visa" } })).status).toBe(200);
  const plans = await api("/plans?code=starter");
  const price = (plans.body.data as { prices: { id: string; currency: string }[] }[])[0]!.prices.find((p) => p.currency === "aud")!;
  const sub = await api("/subscriptions", { method: "POST", body: { customer: customerId, items: [{ price: price.id, quantity: 1 }] } });
  expect(sub.status).toBe(200);
  const invoice = await api(`/invoices/${String(sub.body.latest_invoice)}`);
  expect(invoice.body.status).toBe("paid");
  return { customerId, invoiceId: String(invoice.body.id), invoiceNumber: String(invoice.body.number) };
}

/** Screenshots at 1280 and 375 px; at 375 nothing may stick out sideways. */
async function shoot(page: Page, name: string) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.screenshot({ path: `test-results/screens/${name}-${width}.png`, fullPage: true });
    const scroll = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, limit: document.documentElement.clientWidth }));
    expect(scroll.width, `${name} at ${width} px`).toBeLessThanOrEqual(scroll.limit);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("the customer timeline shows each change once, payments with amount and card, a Payments filter of money moving, and the customer's own time on hover", async ({ page, context, baseURL, api }) => {
  const { customerId, invoiceId, invoiceNumber } = await clockCustomer(api, "Tia Timeline");
  const refund = await api("/credit_notes", { method: "POST", body: { invoice: invoiceId, amount: 400, reason: "product_unsatisfactory", outcome: "refund" } });
  expect(refund.status).toBe(200);

  await signInAs(context, "billing_admin", baseURL!);
  await page.goto(`/admin/customers/${customerId}?tab=timeline`);
  const timeline = page.getByRole("list", { name: "Timeline, newest first" });
  const items = timeline.getByRole("listitem");
  await expect(items.first()).toBeVisible();

  // One entry per change: the payment once, with the event written for it inside — never beside.
  const paid = items.filter({ hasText: `Paid $10.00 with Visa …4242 — invoice ${invoiceNumber}` });
  await expect(paid).toHaveCount(1);
  await expect(paid).toContainText("Audit + event");
  await expect(items.filter({ hasText: "Event:" })).toHaveCount(0);
  for (const change of ["Customer created", "Card added: Visa ending 4242", "Subscription created", `Invoice ${invoiceNumber} finalized`, "Subscription active"]) {
    await expect(items.filter({ hasText: change }), change).toHaveCount(1);
    await expect(items.filter({ hasText: change }), change).toContainText("Audit + event");
  }
  // The details name both records: the audit entry with who made it, and the event.
  await paid.getByText("Details").click();
  // The entry reads in the clock's time, its event's; the audit entry was dated in real time, and says so.
  await expect(paid.getByRole("definition").filter({ hasText: /^#\d+ · invoice\.paid · by API key “[^”]+” · dated \d+ \w+ \d{4}, .+ AE[DS]T$/ })).toBeVisible();
  await expect(paid.getByRole("definition").filter({ hasText: /^evt_\S+ · invoice\.paid$/ })).toBeVisible();
  await expect(paid.locator("time").first()).toHaveText("6 Jan 2027, 7:00 am AEDT");
  // The code is a tooltip on the words, not text on the line.
  await expect(paid.getByText(`Paid $10.00 with Visa …4242 — invoice ${invoiceNumber}`)).toHaveAttribute("title", "invoice.paid");

  // Times in the viewer's zone; the customer's own on hover. The subscription turned active at the
  // clock's 6 Jan 2027, 09:00 in Auckland.
  const active = items.filter({ hasText: "Subscription active" });
  await expect(active.locator("time").first()).toHaveText("6 Jan 2027, 7:00 am AEDT");
  await expect(active.locator("time").first()).toHaveAttribute("title", "Customer's time: 6 Jan 2027, 9:00 am NZDT");
  for (const time of await items.locator("time").all()) await expect(time).toHaveAttribute("title", /^Customer's time: .+ NZ(DT|ST)$/);
  await expect(page.getByText("point at one for the customer’s own (Pacific/Auckland)")).toBeVisible();
  await shoot(page, "admin-timeline");

  // Payments: the charge and the refund, each with its card; the card itself is under Cards.
  await page.getByRole("navigation", { name: "Filter the timeline" }).getByRole("link", { name: "Payments" }).click();
  await expect(page).toHaveURL(/kinds=payments/);
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toContainText(new RegExp(`Refunded \\$4\\.00 to Visa …4242 for invoice ${invoiceNumber}`));
  await expect(items.nth(1)).toContainText(`Paid $10.00 with Visa …4242 — invoice ${invoiceNumber}`);
  await shoot(page, "admin-timeline-payments");
  // The chips toggle a kind in the current filter: wait for "Everything" to land before choosing Cards.
  await page.getByRole("navigation", { name: "Filter the timeline" }).getByRole("link", { name: "Everything" }).click();
  await expect(page).not.toHaveURL(/kinds=/);
  await page.getByRole("navigation", { name: "Filter the timeline" }).getByRole("link", { name: "Cards" }).click();
  await expect(page).toHaveURL(/kinds=cards$/);
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText("Card added: Visa ending 4242");
});

test("the audit log lists entries in the order they were recorded, with a test clock's time beside its entry and codes only as tooltips", async ({ page, context, baseURL, api }) => {
  await clockCustomer(api, "Ola Order");
  // A change recorded after the clock's entries, for a customer on no clock: dated today, before January 2027.
  const plain = await api("/customers", { method: "POST", body: { email: `plain-${Date.now().toString(36)}@example.com`, name: "Pat Plain", currency: "aud", address: { country: "AU" } } });
  expect(plain.status).toBe(200);
  const grant = await api(`/customers/${String(plain.body.id)}/credit_grants`, { method: "POST", body: { amount: 700, currency: "aud", reason: "Recorded last" } });
  expect(grant.status).toBe(200);

  await signInAs(context, "finance_viewer", baseURL!);
  await page.goto("/admin/audit");
  const table = page.getByRole("table", { name: "Audit entries, newest first" });
  const rows = table.locator("tbody tr");
  // Newest recorded first: the grant, then the clock customer's entries dated in January 2027.
  await expect(rows.first()).toContainText("Granted $7.00 credit: Recorded last");
  const recorded = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector("td time")?.getAttribute("datetime") ?? ""));
  expect(recorded.length).toBeGreaterThan(5);
  expect([...recorded].sort().reverse()).toEqual(recorded);

  // The test-clock entry: recorded today, its clock time beside it.
  const active = rows.filter({ hasText: "Subscription active" }).first();
  await expect(active).toContainText("Test clock: 6 Jan 2027, 7:00 am AEDT");
  const when = await active.locator("td time").first().getAttribute("datetime");
  expect(Math.abs(Date.parse(when!) - Date.now())).toBeLessThan(10 * 60_000);
  // An entry dated in real time shows no second time.
  await expect(rows.first()).not.toContainText("Test clock");
  await expect(rows.first()).not.toContainText("Dated");

  // Actions in words; the code is a tooltip, not text in the row.
  await expect(active.getByText("Subscription active")).toHaveAttribute("title", "subscription.active");
  await expect(active).not.toContainText("subscription.active");
  await expect(rows.first().getByText("Granted $7.00 credit: Recorded last")).toHaveAttribute("title", "customer.credit_granted");
  await shoot(page, "admin-audit-order");
});
