import fs from "node:fs";
import { expect, test } from "./fixtures";
import { portalTour } from "./portal-pages";

const DIR = "test-results/screens/portal";

test.describe.configure({ timeout: 240_000 });

test("every portal page at 1280 and 375 px: screenshots, and nothing wider than a 375 px phone", async ({ page, tally }) => {
  fs.mkdirSync(DIR, { recursive: true });
  const overflowing: string[] = [];
  const seen: string[] = [];
  await page.setViewportSize({ width: 1280, height: 800 });
  await portalTour(page, tally, async (name) => {
    seen.push(name);
    await page.screenshot({ path: `${DIR}/${name}-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 375, height: 812 });
    // Let layout settle after the resize (no animation is waited on beyond a frame).
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 375) {
      // Name the widest elements so the fix is obvious from the failure.
      const culprits = await page.evaluate(() =>
        [...document.querySelectorAll("body *")]
          .filter((el) => el.getBoundingClientRect().right > 375.5 && el.getClientRects().length > 0)
          .slice(-5)
          .map((el) => `<${el.tagName.toLowerCase()} class="${(el.getAttribute("class") ?? "").slice(0, 80)}"> right=${Math.round(el.getBoundingClientRect().right)}`),
      );
      overflowing.push(`${name}: scrollWidth ${width}\n    ${culprits.join("\n    ")}`);
    }
    await page.screenshot({ path: `${DIR}/${name}-375.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });
  expect(seen.length).toBeGreaterThanOrEqual(28);
  // The measure itself can fail: a 500 px wide element on a 375 px page is seen.
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto("/sign-in");
  await page.evaluate(() => document.body.append(Object.assign(document.createElement("div"), { style: "width:500px;height:1px" })));
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeGreaterThan(375);
  expect(overflowing, `pages wider than 375 px:\n${overflowing.join("\n")}`).toEqual([]);
});
