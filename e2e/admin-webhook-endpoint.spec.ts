import type { Page } from "@playwright/test";
import { startReceiver } from "../tests/outbound-webhooks/receiver";
import { expect, signInAs, test } from "./fixtures";

test.use({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC" });

const screens = process.env.E2E_SCREENS ?? "test-results/screens";

/** Screenshots at 1280 and 375 px; at 375 nothing may stick out sideways. */
async function shoot(page: Page, name: string) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.screenshot({ path: `${screens}/admin-webhook-endpoint-${name}-${width}.png`, fullPage: true });
    const scroll = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, limit: document.documentElement.clientWidth }));
    if (scroll.width > scroll.limit) console.log(await page.evaluate(() => [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 8).map((e) => `${e.tagName}.${e.className}`.slice(0, 160)).join("\n")));
    expect(scroll.width, `${name} at ${width} px`).toBeLessThanOrEqual(scroll.limit);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

const newCustomer = (api: Parameters<Parameters<typeof test>[2]>[0]["api"], name: string) =>
  api("/customers", { method: "POST", body: { email: `wh-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@example.com`, name, currency: "aud", timezone: "UTC", address: { country: "AU" } } });

test("a super admin follows an endpoint's deliveries, resends one, rotates the secret (shown once) and replays a range", async ({ page, context, baseURL, api }) => {
  const secrets: string[] = [];
  const receiver = await startReceiver({ secrets: () => secrets });
  try {
    const endpoint = await api("/webhook_endpoints", { method: "POST", body: { url: receiver.url, enabled_events: ["customer.created"], description: "CRM sync" } });
    expect(endpoint.status).toBe(200);
    secrets.push(String(endpoint.body.secret));
    const customer = await newCustomer(api, "Wendy Webhook");
    await expect.poll(() => receiver.received.filter((r) => r.body.includes(String(customer.body.id))).length, { timeout: 20_000 }).toBe(1);
    const eventId = receiver.received.find((r) => r.body.includes(String(customer.body.id)))!.webhookId;
    expect(receiver.rejected()).toBe(0);

    await signInAs(context, "super_admin", baseURL!);
    await page.goto("/admin/developers/webhooks");
    await page.getByRole("link", { name: receiver.url }).click();
    await expect(page.getByRole("heading", { name: "CRM sync", level: 1 })).toBeVisible();
    const log = page.getByRole("table", { name: "Delivery attempts, newest first" });
    const row = log.getByRole("row").filter({ hasText: eventId });
    await expect(row).toContainText("customer.created");
    await expect(row).toContainText("Delivered");
    await expect(row).toContainText("HTTP 200");
    await expect(page.getByText("whsec_")).toHaveCount(0);

    // Resend: asked first, then sent again with the same webhook-id.
    await row.getByRole("button", { name: "Resend" }).click();
    const resend = page.getByRole("dialog", { name: "Send this event again?" });
    await expect(resend).toContainText("with the same webhook-id");
    await resend.getByRole("button", { name: "Resend" }).click();
    await expect.poll(() => receiver.received.filter((r) => r.webhookId === eventId).length, { timeout: 20_000 }).toBe(2);
    await page.reload();
    await expect(log.getByRole("row").filter({ hasText: eventId }).filter({ hasText: "· resend" })).toHaveCount(1);

    // Rotation: the new secret once, to whoever rotated it; both sign during the overlap.
    await page.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByRole("dialog", { name: "Rotate the signing secret?" }).getByRole("button", { name: "Rotate secret" }).click();
    const shown = page.getByTestId("rotated-webhook-secret");
    await expect(shown).toHaveText(/^whsec_/);
    const rotated = (await shown.textContent())!;
    await expect(page.getByText(/The previous secret also signs deliveries until/)).toBeVisible();
    await shoot(page, "rotated");
    await page.reload();
    await expect(page.getByTestId("rotated-webhook-secret")).toHaveCount(0);
    await expect(page.getByText(rotated)).toHaveCount(0);
    const second = await newCustomer(api, "Rory Rotation");
    await expect.poll(() => receiver.received.find((r) => r.body.includes(String(second.body.id)))?.verifiedWith.length, { timeout: 20_000 }).toBe(1);
    secrets.push(rotated);
    // (The receiver now holds both; a delivery carries both signatures during the overlap.)

    // Replay the last hour: confirmation names the range and the URL.
    await page.getByRole("button", { name: "Replay events" }).click();
    const replay = page.getByRole("dialog", { name: "Replay these events?" });
    await expect(replay).toContainText(receiver.url);
    await replay.getByRole("button", { name: "Replay" }).click();
    await expect(page.getByText(/events? queued to be sent again/)).toBeVisible();
    await expect.poll(() => receiver.received.filter((r) => r.webhookId === eventId).length, { timeout: 20_000 }).toBe(3);
    expect(receiver.received.at(-1)!.verifiedWith).toHaveLength(2);
    expect(receiver.rejected()).toBe(0);
    await page.reload();
    await expect(log.getByRole("row").filter({ hasText: "· replay" }).first()).toBeVisible();
    await shoot(page, "log");
  } finally {
    await receiver.close();
  }
});

test("an endpoint that answers 410 is disabled, and the console says why", async ({ page, context, baseURL, api }) => {
  const secrets: string[] = [];
  const receiver = await startReceiver({ secrets: () => secrets, answer: () => 410 });
  try {
    const endpoint = await api("/webhook_endpoints", { method: "POST", body: { url: receiver.url, enabled_events: ["customer.created"], description: "Retired CRM" } });
    secrets.push(String(endpoint.body.secret));
    await newCustomer(api, "Gina Gone");
    await expect.poll(async () => (await api(`/webhook_endpoints/${String(endpoint.body.id)}`)).body.status, { timeout: 20_000 }).toBe("disabled");
    await signInAs(context, "super_admin", baseURL!);
    await page.goto(`/admin/developers/webhooks/${String(endpoint.body.id)}`);
    const alert = page.getByRole("status").filter({ hasText: "This endpoint is disabled" });
    await expect(alert).toContainText("It answered 410 Gone");
    await expect(page.getByRole("table", { name: "Delivery attempts, newest first" })).toContainText("410 Gone: disabled");
    await shoot(page, "disabled");
  } finally {
    await receiver.close();
  }
});
