/**
 * The console overview says how the background jobs last went, in words: the billing run's row
 * names how many renewals went in batches, every hand-over to the one-by-one path by reason, and
 * the failures (lib/jobs/describe-result.ts).
 */
import { expect, signInAs, test } from "./fixtures";

test("the overview shows the billing run's last outcome in words", async ({ browser, baseURL }) => {
  test.setTimeout(150_000);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await signInAs(context, "support", baseURL!);
  const page = await context.newPage();
  await page.goto("/admin");
  await expect(page.getByRole("columnheader", { name: "Outcome" })).toBeVisible();
  // The local runner bills every minute: wait for its first run.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("row").filter({ hasText: "billing.run" })).toContainText(/\d+ renewed in batches( · \d+ one by one \(.+\))? · \d+ failed/, { timeout: 1000 });
  }).toPass({ timeout: 120_000, intervals: [2_000] });
  await page.screenshot({ path: "test-results/screens/admin-overview-1280.png", fullPage: true });
  await context.close();
});
