import { describe, expect, it } from "vitest";
import { renderEmail } from "./render";
import { UsageSpendEmail, usageSpendSubject, UsageThresholdEmail, usageThresholdSubject } from "./usage-threshold";

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

describe("usage spend email renders (HTML and text)", () => {
  const spend = { customerName: "Ada", amount: "$40.00", spendThreshold: "$50.00", billedOn: "1 Mar 2026", portalUrl: "https://billing.example.com/" };
  it("80% and 100%: the charges so far, the threshold, and when they are billed", async () => {
    expect(usageSpendSubject({ threshold: 80, spendThreshold: "$50.00" })).toBe("Your usage charges are at 80% of $50.00");
    expect(usageSpendSubject({ threshold: 100, spendThreshold: "$50.00" })).toBe("Your usage charges have reached $50.00");
    const { html, text } = await renderEmail(<UsageSpendEmail {...spend} threshold={80} />);
    expect(html).toContain('href="https://billing.example.com/"');
    expect(text).toContain("your usage this billing period comes to $40.00 so far, against the $50.00 threshold set on your subscription");
    expect(text).toContain("billed on your next invoice, on 1 Mar 2026");
    expect((await renderEmail(<UsageSpendEmail {...spend} amount="$50.20" threshold={100} />)).text).toContain("Usage spend threshold reached");
  });
});
