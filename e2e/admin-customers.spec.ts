import fs from "node:fs";
import type { Page } from "@playwright/test";
import { parseCsv } from "@/lib/csv/csv";
import { expect, signInAs, test } from "./fixtures";

type Api = (path: string, init?: { method?: string; body?: unknown; idempotencyKey?: string }) => Promise<{ status: number; body: Record<string, unknown> }>;

const NAMES = ["Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Ginkgo", "Hazel", "Ironwood", "Juniper", "Kauri", "Larch", "Maple", "Nutmeg", "Oak"];

/** 27 customers of its own (more than one page of 25), a tag to find them by, two with subscriptions, one with a formula for a name. */
async function seedCustomers(api: Api) {
  const tag = `alist${Date.now().toString(36)}`;
  const prices = (await api("/prices?limit=100")).body.data as { id: string; currency: string; plan: string }[];
  const plans = (await api("/plans?limit=100")).body.data as { id: string; code: string; name: string }[];
  const pro = plans.find((p) => p.code === "pro")!;
  const proAud = prices.find((p) => p.plan === pro.id && p.currency === "aud")!;
  const ids: string[] = [];
  for (let i = 0; i < 27; i++) {
    const name = i === 26 ? `=HYPERLINK("http://evil.test","${tag}")` : `${NAMES[i % NAMES.length]} ${tag} ${String(i).padStart(2, "0")}`;
    const country = i % 3 === 0 ? "NZ" : "AU";
    const created = await api("/customers", { method: "POST", body: { email: `${tag}-${i}@example.test`, name, currency: "aud", address: { country } }, idempotencyKey: `${tag}-c${i}` });
    expect(created.status).toBe(200);
    ids.push(created.body.id as string);
  }
  // Two on a Pro trial (no card needed).
  for (const customer of ids.slice(0, 2)) {
    const sub = await api("/subscriptions", { method: "POST", body: { customer, items: [{ price: proAud.id }], trial_period_days: 14 }, idempotencyKey: `${tag}-s${customer}` });
    expect(sub.status).toBe(200);
  }
  return { tag, ids, pro };
}

const table = (page: Page) => page.getByRole("table", { name: "Customers" });
const rows = (page: Page) => table(page).locator("tbody tr");

/** Screenshots at 1280 and 375 px; at 375 the page itself must not scroll sideways (the table scrolls in its card). */
async function shoot(page: Page, name: string) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.screenshot({ path: `test-results/admin-customers-${name}-${width}.png`, fullPage: true });
    const overflow = await page.evaluate(() => {
      const limit = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > limit + 1 && !el.closest("[class*=overflow-x-auto]"))
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 80)} → ${Math.round(el.getBoundingClientRect().right)}`);
      return { scroll: document.documentElement.scrollWidth, limit, wide };
    });
    expect(overflow, JSON.stringify(overflow)).toMatchObject({ scroll: overflow.limit });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("a billing admin searches, filters, sorts, pages through and exports customers", async ({ page, context, baseURL, api }) => {
  const { tag, ids, pro } = await seedCustomers(api);
  await signInAs(context, "billing_admin", baseURL!);
  await page.goto("/admin/customers");
  await expect(page.getByRole("heading", { name: "Customers", level: 1 })).toBeVisible();

  // Search is debounced and lands in the URL.
  await page.getByRole("searchbox", { name: "Search" }).fill(tag);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${tag}`));
  await expect(rows(page)).toHaveCount(25);
  await expect(page.getByText("25 customers on this page")).toBeVisible();
  await shoot(page, "search");

  // Keyset pages: Next shows the other two, Previous the same first page again.
  const firstPage = await rows(page).allInnerTexts();
  await page.getByRole("link", { name: "Next" }).click();
  await expect(rows(page)).toHaveCount(2);
  await expect(page).toHaveURL(/cursor=/);
  await page.getByRole("link", { name: "Previous" }).click();
  await expect(rows(page)).toHaveCount(25);
  expect(await rows(page).allInnerTexts()).toEqual(firstPage);
  await expect(page.locator("nav[aria-label=Pagination] [aria-disabled=true]")).toHaveText("Previous");

  // Sort by name: aria-sort on the header, rows in order; again for descending.
  const customerHeader = table(page).getByRole("columnheader", { name: /Name/ });
  await expect(customerHeader).not.toHaveAttribute("aria-sort");
  await customerHeader.getByRole("button", { name: "Name" }).click();
  await expect(customerHeader).toHaveAttribute("aria-sort", "ascending");
  await expect(page).toHaveURL(/sort=name/);
  // `=` sorts before letters.
  await expect(rows(page).first().getByRole("link")).toHaveText(`=HYPERLINK("http://evil.test","${tag}")`);
  await expect(rows(page).nth(1).getByRole("link")).toHaveText(`Alder ${tag} 00`);
  await customerHeader.getByRole("button", { name: "Name" }).click();
  await expect(customerHeader).toHaveAttribute("aria-sort", "descending");
  await expect(rows(page).first().getByRole("link")).toHaveText(`Oak ${tag} 14`);

  // Filters: trialing on Pro, then a country; the select values stay in the URL.
  await page.getByLabel("Subscription").selectOption("trialing");
  await expect(page).toHaveURL(/status=trialing/);
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).first().getByText("Trialing")).toBeVisible();
  await expect(rows(page).first().getByText(pro.name)).toBeVisible();
  await page.getByLabel("Country").selectOption("NZ");
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first().getByRole("link")).toHaveText(`Alder ${tag} 00`);
  await shoot(page, "filtered");

  // A search that matches nobody: the empty state offers to clear the filters.
  await page.getByRole("searchbox", { name: "Search" }).fill(`${tag}-nobody`);
  await expect(page.getByRole("heading", { name: "No customers match" })).toBeVisible();
  await shoot(page, "empty");
  await page.getByRole("link", { name: "Clear filters" }).click();
  // Clearing keeps the sort.
  await expect(page).toHaveURL(/\/admin\/customers\?sort=name&dir=desc$/);
  await expect(page.getByRole("searchbox", { name: "Search" })).toHaveValue("");

  // Export what the search shows, as CSV: every matching row, formulas neutralized.
  await page.goto(`/admin/customers?q=${tag}&sort=name`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^customers-\d{4}-\d\d-\d\d\.csv$/);
  const csv = parseCsv(fs.readFileSync((await download.path())!, "utf8"));
  expect(csv[0]?.slice(0, 4)).toEqual(["id", "external_id", "name", "email"]);
  expect(csv.slice(1).map((r) => r[0]).sort()).toEqual([...ids].sort());
  expect(csv[1]?.[2]).toBe(`'=HYPERLINK("http://evil.test","${tag}")`);

  // The row links to the customer's page.
  await rows(page).filter({ hasText: `Birch ${tag} 01` }).getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/admin/customers/${ids[1]}$`));
});

test("support can read the list but not export it", async ({ page, context, baseURL }) => {
  await signInAs(context, "support", baseURL!);
  await page.goto("/admin/customers");
  await expect(page.getByRole("heading", { name: "Customers", level: 1 })).toBeVisible();
  await expect(table(page)).toBeVisible();
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveCount(0);
  const response = await page.request.get("/admin/customers/export.csv");
  expect(response.status()).toBe(403);
  expect(response.headers()["content-type"]).toContain("text/plain");
});
