import { describe, expect, it } from "vitest";
import { renderEmail } from "./render";
import { UsageThresholdEmail, usageThresholdSubject } from "./usage-threshold";

const props = { customerName: "Ada", feature: "api-calls", used: "8,000", limit: "10,000", resetsOn: "1 Mar 2026", portalUrl: "https://billing.example.com/" };

describe("usage threshold email renders (HTML and text)", () => {
  it("80%: usage so far, the limit, when it resets, and what happens at the limit when it is hard", async () => {
    const { html, text } = await renderEmail(<UsageThresholdEmail {...props} threshold={80} hard />);
    expect(usageThresholdSubject({ feature: "api-calls", threshold: 80 })).toBe("You've used 80% of your api-calls limit");
    expect(html).toContain('href="https://billing.example.com/"');
    expect(text).toContain("you've used 8,000 of the 10,000 api-calls included in your plan this billing period");
    expect(text).toContain("Your usage resets on 1 Mar 2026. Once you reach the limit, api-calls pauses until then.");
  });

  it("100%: paused until the reset when hard, still served when soft", async () => {
    expect(usageThresholdSubject({ feature: "api-calls", threshold: 100 })).toBe("You've reached your api-calls limit");
    expect((await renderEmail(<UsageThresholdEmail {...props} used="10,000" threshold={100} hard />)).text).toContain("api-calls is paused until your usage resets on 1 Mar 2026");
    expect((await renderEmail(<UsageThresholdEmail {...props} used="10,400" threshold={100} hard={false} />)).text).toContain("You can keep going");
  });
});
