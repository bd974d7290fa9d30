import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CSV_BOM, FORMULA_TRIGGERS, csvCell, csvRow, isPlainNumber, neutralizeFormula, parseCsv, toCsv } from "./csv";

/** Text biased towards what breaks CSV and spreadsheets: quotes, commas, line breaks, formula starts. */
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.constantFrom("=", "+", "-", "@", "\t", "\r", "\n", '"', ",", "'", " ", "a", "1", ".", "é", "|") }),
  fc.constantFrom("=HYPERLINK(\"http://evil.test\",\"click\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1", "-12.50", "-7", "+7", "=", ""),
  fc.tuple(fc.constantFrom(...FORMULA_TRIGGERS), fc.string()).map(([t, s]) => t + s),
);
const cell = fc.oneof({ weight: 6, arbitrary: nasty }, fc.integer({ min: -1e12, max: 1e12 }), fc.boolean(), fc.constant(null));

/** What a reader should get back for a value: its text, neutralized when it is text. */
function expectedText(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value === "string") return neutralizeFormula(value);
  return String(value);
}

describe("csv", () => {
  it("neutralizes every formula trigger, and leaves plain text and plain numbers alone", () => {
    expect(neutralizeFormula('=HYPERLINK("http://evil.test")')).toBe(`'=HYPERLINK("http://evil.test")`);
    expect(neutralizeFormula("+1+1")).toBe("'+1+1");
    expect(neutralizeFormula("-2+3")).toBe("'-2+3");
    expect(neutralizeFormula("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(neutralizeFormula("\t=1")).toBe("'\t=1");
    expect(neutralizeFormula("\r=1")).toBe("'\r=1");
    expect(neutralizeFormula("-12.50")).toBe("-12.50");
    expect(neutralizeFormula("Ada = Lovelace")).toBe("Ada = Lovelace");
    expect(neutralizeFormula("")).toBe("");
    expect(csvCell(-1250)).toBe("-1250");
  });

  it("quotes fields with quotes, commas and line breaks, and ends records with CRLF", () => {
    expect(csvRow(["a", 'say "hi"', "x,y", "l1\nl2", null, 3, true, new Date("2026-01-02T03:04:05.678Z")])).toBe(
      'a,"say ""hi""","x,y","l1\nl2",,3,true,2026-01-02T03:04:05.678Z\r\n',
    );
    expect(csvRow(["=1+1"])).toBe("'=1+1\r\n");
    expect(csvRow(['=HYPERLINK("x","y")'])).toBe(`"'=HYPERLINK(""x"",""y"")"\r\n`);
  });

  it("round-trips: parsing the output gives back every value (neutralized), row for row", () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 8 }), fc.boolean(), (rows, bom) => {
        const text = (bom ? CSV_BOM : "") + toCsv(rows);
        expect(parseCsv(text)).toEqual(rows.map((r) => r.map(expectedText)));
      }),
      { numRuns: 500 },
    );
  });

  it("never lets a field begin with a formula trigger unless it is apostrophe-prefixed or a plain number", () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), (rows) => {
        for (const field of parseCsv(toCsv(rows)).flat()) {
          const first = field.charAt(0);
          if ((FORMULA_TRIGGERS as readonly string[]).includes(first)) expect(isPlainNumber(field)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
