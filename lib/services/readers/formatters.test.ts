import { describe, expect, it } from "vitest";
import { customerLocale, staffLocale } from "./formatters";

describe("whose locale a page is written in", () => {
  it("a customer's first supported preferred locale, else the business's", () => {
    expect(customerLocale({ preferredLocales: ["de-DE"] }, "en-AU")).toBe("de-DE");
    expect(customerLocale({ preferredLocales: ["sw-KE", "fr"] }, "en-AU")).toBe("fr-FR");
    expect(customerLocale({ preferredLocales: [] }, "en-GB")).toBe("en-GB");
    expect(customerLocale({ preferredLocales: ["sw-KE"] }, "en-NZ")).toBe("en-NZ");
  });

  it("a staff member's own locale, else their browser's among the supported ones, else the business's", () => {
    expect(staffLocale({ locale: "ja-JP" }, ["en-US"], "en-AU")).toBe("ja-JP");
    expect(staffLocale({ locale: null }, ["en-US", "en"], "en-AU")).toBe("en-US");
    expect(staffLocale({ locale: null }, ["en"], "en-AU")).toBe("en-AU");
    expect(staffLocale({ locale: null }, ["sw"], "de-DE")).toBe("de-DE");
    expect(staffLocale({ locale: null }, [], "fr-FR")).toBe("fr-FR");
  });
});
