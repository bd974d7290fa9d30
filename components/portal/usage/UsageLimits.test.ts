import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { UsageLimits } from "./UsageLimits";
import { formatterFor } from "@/lib/format";

const fmt = formatterFor({ locale: "en-AU" });

const render = (limits: Parameters<typeof UsageLimits>[0]["limits"]) => renderToStaticMarkup(createElement(UsageLimits, { limits, fmt }));

describe("UsageLimits", () => {
  it("draws each limit's bar as an SVG width (no style attribute: the CSP refuses them), capped at full", () => {
    const html = render([
      { feature: "Projects", used: 3, limit: 10, hard: true },
      { feature: "Seats", used: 12, limit: 10, hard: false },
    ]);
    expect(html).not.toContain("style=");
    expect(html).toContain('width="30%"');
    expect(html).toContain('width="100%" height="100%" class="fill-danger-600"');
    expect(html).toContain('aria-valuenow="12"');
    expect(html).toContain("3 of 10 · hard limit");
    expect(html).toContain("Limit reached: use beyond it is still allowed.");
  });

  it("says so when the plan has no limits", () => {
    expect(render([])).toContain("Your plan has no usage limits.");
  });
});
