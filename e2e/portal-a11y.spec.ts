import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, newSubscriber, test } from "./fixtures";
import { portalTour } from "./portal-pages";

test.describe.configure({ timeout: 240_000 });

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** Serious and critical axe violations on the page, one readable line per element. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `  [${v.impact}] ${v.id}: ${v.help}\n      at ${n.target.join(" ")}\n      ${n.failureSummary?.split("\n").join("\n      ") ?? ""}`));
}

test("axe (WCAG 2 A/AA): no serious or critical violation on any portal page, in every state, at 1280 and 375 px", async ({ page, tally }) => {
  const problems: string[] = [];
  let pages = 0;
  await portalTour(page, tally, async (name) => {
    pages += 1;
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 800 });
      const found = await seriousViolations(page);
      if (found.length > 0) problems.push(`${name} @ ${width}px\n${found.join("\n")}`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });
  expect(pages).toBeGreaterThanOrEqual(28);
  // The check itself can fail: an unlabelled field is reported.
  await page.setContent('<html lang="en"><head><title>control</title></head><body><main><h1>Control</h1><input type="text"></main></body></html>');
  expect((await seriousViolations(page)).join("\n")).toContain("label");
  expect(problems, `axe found serious violations:\n${problems.join("\n\n")}`).toEqual([]);
});

/**
 * Tab through a page from the top: every control that takes focus shows where it is (an outline
 * or a ring drawn with box-shadow), and is one of the page's own controls.
 */
async function tabThrough(page: Page, max = 60): Promise<{ stops: string[]; invisible: string[] }> {
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  const stops: string[] = [];
  const invisible: string[] = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press("Tab");
    const info = await page.evaluate((n) => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      // Back at a control already visited: the cycle is complete.
      if (el.dataset.tabStop) return { key: el.dataset.tabStop, label: "", visible: true };
      el.dataset.tabStop = String(n);
      const style = getComputedStyle(el);
      const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
      const ring = style.boxShadow !== "none" && style.boxShadow !== "";
      const label = `${el.tagName.toLowerCase()}${el.getAttribute("type") ? `[${el.getAttribute("type")}]` : ""} "${(el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 40)}"`;
      return { key: String(n), label, visible: el.matches(":focus-visible") && (outline || ring) };
    }, i);
    if (!info) break;
    if (stops.includes(info.key)) break;
    stops.push(info.key);
    if (!info.visible) invisible.push(info.label);
  }
  return { stops, invisible };
}

test("keyboard: Tab reaches the overview's and the change-plan page's controls, each with a visible focus indicator", async ({ page, tally }) => {
  await newSubscriber(page, tally, { name: "Kai Keyboard", card: "pm_card_visa", plan: "starter" });
  for (const path of ["/", "/subscription/change"]) {
    await page.goto(path);
    await page.waitForLoadState("load");
    const { stops, invisible } = await tabThrough(page);
    expect(stops.length, `${path}: Tab reached only ${stops.length} controls`).toBeGreaterThanOrEqual(path === "/" ? 6 : 4);
    expect(invisible, `${path}: focus not visible on`).toEqual([]);
  }
  // The check itself can fail: with focus indicators removed, it reports the controls.
  await page.goto("/");
  // A constructed stylesheet (the page's Content-Security-Policy refuses an injected <style>).
  await page.evaluate(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync("*:focus-visible { outline: none !important; box-shadow: none !important; }");
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  });
  expect((await tabThrough(page, 5)).invisible.length).toBeGreaterThan(0);

  // The change-plan picker works from the keyboard: choose Pro with the arrow keys / space, and the preview follows.
  await page.goto("/subscription/change");
  const pro = page.getByRole("radio", { name: /Pro/ }).first();
  await pro.focus();
  await page.keyboard.press("Space");
  await expect(pro).toBeChecked();
  await expect(page.getByTestId("change-headline")).toBeVisible();
});
