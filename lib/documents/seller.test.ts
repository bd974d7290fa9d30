import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderInvoicePdf } from "./invoice-pdf";
import { localLogo } from "./seller";
import { input } from "./test-fixtures";

/** A 1×1 PNG. */
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

describe("the seller's logo on documents", { timeout: 20_000 }, () => {
  const publicDir = fs.mkdtempSync(path.join(os.tmpdir(), "tally-logo-"));
  fs.writeFileSync(path.join(publicDir, "logo.png"), Buffer.from(PNG, "base64"));
  fs.writeFileSync(path.join(os.tmpdir(), "outside.png"), Buffer.from(PNG, "base64"));
  const where = { origin: "https://billing.example", publicDir };

  it("is embedded from a data URI or from Tally's own public files, never fetched from elsewhere", () => {
    expect(localLogo(`data:image/png;base64,${PNG}`, where)?.format).toBe("png");
    expect(localLogo("https://billing.example/logo.png", where)?.data.equals(Buffer.from(PNG, "base64"))).toBe(true);
    expect(localLogo("https://cdn.example/logo.png", where)).toBeNull();
    expect(localLogo("https://billing.example/missing.png", where)).toBeNull();
    expect(localLogo("https://billing.example/%2e%2e/outside.png", where)).toBeNull();
    expect(localLogo("https://billing.example/logo.svg", where)).toBeNull();
    expect(localLogo("data:image/svg+xml;base64,PHN2Zy8+", where)).toBeNull();
    expect(localLogo("", where)).toBeNull();
  });

  it("is drawn as an image in the letterhead", async () => {
    const bytes = await renderInvoicePdf(input({}, { seller: { name: "Acme", taxNumber: "51 824 753 556", logo: localLogo(`data:image/png;base64,${PNG}`, where) } }));
    expect(Buffer.from(bytes).toString("latin1")).toMatch(/\/Subtype\s*\/Image/);
  });
});
