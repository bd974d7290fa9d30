/**
 * The console overview's usage ingest card (docs/decisions/028-usage-metering.md): an empty state
 * before any event, then events per minute and rejections by reason after a batch.
 */
import { expect, signInAs, test } from "./fixtures";

test("the overview's usage ingest card shows events per minute and rejections by reason", async ({ browser, baseURL, api }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await signInAs(context, "support", baseURL!);
  const page = await context.newPage();
  await page.goto("/admin");
  const card = page.locator("section").filter({ has: page.getByRole("heading", { name: "Usage ingest" }) });
  await expect(card.getByText("No usage events in the last hour.")).toBeVisible();
  await card.screenshot({ path: "test-results/screens/admin-usage-ingest-empty-1280.png" });

  const code = `e2e_tokens_${Date.now()}`;
  expect((await api("/meters", { method: "POST", body: { code, aggregation: "sum", value_property: "tokens" } })).status).toBe(200);
  const customer = await api("/customers", { method: "POST", body: { email: `ingest-${Date.now()}@example.test`, currency: "aud" } });
  expect(customer.status).toBe(200);
  const events = [
    ...Array.from({ length: 40 }, (_, n) => ({ identifier: `e2e-${code}-${n}`, meter: code, customer: customer.body.id, properties: { tokens: n + 1 } })),
    { identifier: `e2e-${code}-0`, meter: code, customer: customer.body.id, properties: { tokens: 1 } },
    { identifier: `e2e-${code}-x1`, meter: "no_such_meter", customer: customer.body.id, properties: { tokens: 1 } },
    { identifier: `e2e-${code}-x2`, meter: "no_such_meter", customer: customer.body.id, properties: { tokens: 1 } },
    { identifier: `e2e-${code}-x3`, meter: code, customer: customer.body.id, properties: { tokens: "many" } },
  ];
  const batch = await api("/usage_events/batch", { method: "POST", body: { events } });
  expect(batch.status).toBe(202);
  expect(batch.body).toMatchObject({ accepted: 40, duplicates: 1 });

  await page.reload();
  await expect(card.getByRole("row").filter({ hasText: "Unknown meter" })).toContainText("2");
  await expect(card.getByRole("row").filter({ hasText: "Value not a non-negative number" })).toContainText("1");
  await expect(card.getByText("Accepted", { exact: true })).toBeVisible();
  await card.screenshot({ path: "test-results/screens/admin-usage-ingest-1280.png" });
  await page.setViewportSize({ width: 375, height: 800 });
  await card.screenshot({ path: "test-results/screens/admin-usage-ingest-375.png" });
  await context.close();
});
