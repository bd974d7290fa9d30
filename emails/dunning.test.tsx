import { describe, expect, it } from "vitest";
import { AccountRestoredEmail } from "./account-restored";
import { DunningBlockedEmail } from "./dunning-blocked";
import { DunningReminderEmail } from "./dunning-reminder";
import { DunningWarningEmail } from "./dunning-warning";
import { renderEmail } from "./render";

const props = { customerName: "Ada", invoiceNumber: "TLY-000002", amount: "$10.00", blockedOn: "1 Mar 2026", updateCardUrl: "https://billing.example.com/payment-methods/add" };

describe("dunning emails render (HTML and text)", () => {
  it.each([
    ["reminder", DunningReminderEmail, "still haven't been able to collect $10.00"],
    ["warning", DunningWarningEmail, "will be blocked on 1 Mar 2026"],
    ["blocked", DunningBlockedEmail, "your service has been blocked"],
  ] as const)("%s: amount owed and the update-your-card link", async (_stage, Email, phrase) => {
    const { html, text } = await renderEmail(<Email {...props} />);
    expect(html).toContain('href="https://billing.example.com/payment-methods/add"');
    expect(text).toContain("$10.00");
    expect(text).toContain(phrase);
    expect(text).toContain("https://billing.example.com/payment-methods/add");
  });

  it("account restored", async () => {
    const { html, text } = await renderEmail(<AccountRestoredEmail customerName="Ada" invoiceNumber="TLY-000002" amount="$10.00" />);
    expect(html).toContain("Your service is restored");
    expect(text).toContain("we received your payment of $10.00 for invoice TLY-000002");
    expect((await renderEmail(<AccountRestoredEmail customerName={null} invoiceNumber={null} amount={null} />)).text).toContain("nothing is overdue");
  });
});
