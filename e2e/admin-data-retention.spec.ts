import type { Page } from "@playwright/test";
import { expect, signInAs, test } from "./fixtures";

test.use({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC" });

const SHOTS = process.env.E2E_SHOTS_DIR ?? "test-results/screens";

/** Screenshots at 1280 and 375 px; at 375 nothing may stick out sideways. */
async function shoot(page: Page, name: string) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.screenshot({ path: `${SHOTS}/admin-data-retention-${name}-${width}.png`, fullPage: true });
    // The section itself, at full resolution.
    if (name !== "confirm") await page.locator("#data-retention").screenshot({ path: `${SHOTS}/admin-data-retention-${name}-section-${width}.png` });
    const scroll = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, limit: document.documentElement.clientWidth }));
    expect(scroll.width, `${name} at ${width} px`).toBeLessThanOrEqual(scroll.limit);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("super admin sets retention periods, sees what would go now, and applies retention after a confirmation that states the counts", async ({ page, context, baseURL }) => {
  await signInAs(context, "super_admin", baseURL!);
  await page.goto("/admin/settings#data-retention");
  const section = page.locator("#data-retention");
  await expect(section.getByRole("heading", { name: "Data retention" })).toBeVisible();
  await expect(section.getByLabel("Keep audit entries for (years)")).toHaveValue("7");
  await expect(section.getByLabel("Keep events and emails for (years)")).toHaveValue("2");
  await expect(section.getByLabel("Daily retention job")).toHaveValue("off");

  // Out of range: the message sits next to the field and nothing is saved.
  await section.getByLabel("Keep audit entries for (years)").fill("30");
  await section.getByRole("button", { name: "Save changes" }).click();
  await expect(section.getByText(/less than or equal to 20|at most 20|<=20/i)).toBeVisible();
  await section.getByLabel("Keep audit entries for (years)").fill("7");

  // A shorter period for events: the dry run counts what that would remove, and nothing goes yet.
  await section.getByLabel("Keep events and emails for (years)").fill("1");
  await section.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Retention settings saved.")).toBeVisible();
  await page.reload();
  await expect(section.getByLabel("Keep events and emails for (years)")).toHaveValue("1");
  await expect(section.getByText("What would go now")).toBeVisible();
  const rows = section.locator("dl > div");
  await expect(rows).toHaveCount(5);
  const emailsRow = (await rows.filter({ hasText: "Stored emails before" }).locator("dd").innerText()).trim();
  expect(emailsRow).toMatch(/^[\d,]+ deleted$/);
  await shoot(page, "settings");

  // The confirmation states the same counts; cancelling changes nothing.
  await section.getByRole("button", { name: "Apply now" }).click();
  const dialog = page.getByRole("dialog", { name: "Apply data retention now?" });
  await expect(dialog).toContainText("The run is recorded in the audit log.");
  if (emailsRow !== "0 deleted") await expect(dialog).toContainText(`Stored emails before`);
  await shoot(page, "confirm");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(rows.filter({ hasText: "Stored emails before" }).locator("dd")).toHaveText(emailsRow);

  // Back to the default period (the demo's history is younger than two years), then apply.
  await section.getByLabel("Keep events and emails for (years)").fill("2");
  await section.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Retention settings saved.")).toBeVisible();
  await page.reload();
  const auditRow = (await rows.filter({ hasText: "Audit entries recorded before" }).locator("dd").innerText()).trim();
  await section.getByRole("button", { name: "Apply now" }).click();
  await dialog.getByRole("button", { name: "Apply retention" }).click();
  await expect(page.getByText(new RegExp(`^Retention applied: ${auditRow.replace(/ moved to the archive$/, "").replace(/,/g, "")} audit entries archived`))).toBeVisible();
  await expect(rows.filter({ hasText: "Audit entries recorded before" }).locator("dd")).toHaveText("0 moved to the archive");

  // Audited, with the counts.
  await page.goto("/admin/audit");
  await expect(page.getByText("Data retention applied").first()).toBeVisible();
});

test("billing admin and support cannot reach the retention settings (super admin only)", async ({ page, context, baseURL }) => {
  await signInAs(context, "billing_admin", baseURL!);
  await page.goto("/admin/settings");
  await expect(page).toHaveURL(/\/admin\?denied=1/);
});
