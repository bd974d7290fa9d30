import { describe, expect, it } from "vitest";
import { acceptLanguageTags, defaultBusinessLocale, pickLocale } from "./locales";

describe("choosing the reader's locale", () => {
  it("takes the business locale from TALLY_DEFAULT_COUNTRY, else en-AU", () => {
    expect(defaultBusinessLocale("US")).toBe("en-US");
    expect(defaultBusinessLocale("de")).toBe("de-DE");
    expect(defaultBusinessLocale("ZZ")).toBe("en-AU");
    expect(defaultBusinessLocale(undefined)).toBe("en-AU");
  });

  it("picks the first supported preference, matching a bare language or another region", () => {
    expect(pickLocale(["de-DE", "en-US"], "en-AU")).toBe("de-DE");
    expect(pickLocale(["de"], "en-AU")).toBe("de-DE");
    expect(pickLocale(["en-ZA"], "en-AU")).toBe("en-AU");
    expect(pickLocale(["en-ZA"], "fr-FR")).toBe("en-AU");
    expect(pickLocale(["xx-YY", "fr"], "en-AU")).toBe("fr-FR");
    expect(pickLocale(["not a tag", "sw"], "en-AU")).toBeNull();
    expect(pickLocale([], "en-AU")).toBeNull();
  });

  it("reads Accept-Language best first", () => {
    expect(acceptLanguageTags("de-DE,de;q=0.9,en;q=0.8")).toEqual(["de-DE", "de", "en"]);
    expect(acceptLanguageTags("en;q=0.5, fr-FR, *;q=0.1, ja;q=0")).toEqual(["fr-FR", "en"]);
    expect(acceptLanguageTags(null)).toEqual([]);
  });
});
