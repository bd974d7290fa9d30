import { describe, expect, it } from "vitest";
import { BudgetAlertEmail, budgetAlertSubject, QuotaWarningEmail, quotaWarningSubject } from "./api-cost-alert";
import { renderEmail } from "./render";

const url = "https://billing.example.com/admin/api-costs/budgets";

describe("API cost alert emails render (HTML and text)", () => {
  it("a budget threshold: the scope, the month's spend against the budget, and the link", async () => {
    const props = { scope: "OpenAI (openai)", spent: "$400.00", amount: "$500.00", month: "December 2026", budgetsUrl: url };
    expect(budgetAlertSubject({ ...props, threshold: 80 })).toBe("API costs at 80% of budget: OpenAI (openai)");
    expect(budgetAlertSubject({ ...props, threshold: 100 })).toBe("API cost budget reached: OpenAI (openai)");
    expect(budgetAlertSubject({ ...props, threshold: 150 })).toBe("API cost budget at 150%: OpenAI (openai)");
    const { html, text } = await renderEmail(<BudgetAlertEmail {...props} threshold={80} />);
    expect(html).toContain(`href="${url}"`);
    expect(text).toContain("OpenAI (openai) spent $400.00 on third-party APIs in December 2026 so far, against a monthly budget of $500.00.");
  });

  it("a quota warning: units used of the quota in its window", async () => {
    const props = { provider: "Geoscape (geoscape)", used: "80,000", limit: "100,000", window: "today (5 Dec 2026, UTC)", budgetsUrl: url };
    expect(quotaWarningSubject({ ...props, threshold: 80 })).toBe("API quota at 80%: Geoscape (geoscape)");
    expect(quotaWarningSubject({ ...props, threshold: 100 })).toBe("API quota reached: Geoscape (geoscape)");
    const { text } = await renderEmail(<QuotaWarningEmail {...props} threshold={100} />);
    expect(text).toContain("Geoscape (geoscape) has used 80,000 of its 100,000 units today (5 Dec 2026, UTC).");
    expect(text).toContain("may refuse or throttle");
  });
});
