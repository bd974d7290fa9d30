import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
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

  it("is read from disk once, and again only when the path or the file changes", () => {
    const reads = vi.spyOn(fs, "readFileSync");
    const logo = path.join(publicDir, "cached.png");
    fs.writeFileSync(logo, Buffer.from(PNG, "base64"));
    const readsOf = (file: string) => reads.mock.calls.filter(([p]) => p === file).length;
    try {
      for (let i = 0; i < 3; i++) expect(localLogo("https://billing.example/cached.png", where)?.data.equals(Buffer.from(PNG, "base64"))).toBe(true);
      expect(readsOf(logo)).toBe(1);

      // Another configured path is read; back to the first, it is read again (one file is kept).
      expect(localLogo("https://billing.example/logo.png", where)).not.toBeNull();
      expect(readsOf(path.join(publicDir, "logo.png"))).toBe(1);
      localLogo("https://billing.example/cached.png", where);
      expect(readsOf(logo)).toBe(2);

      // The logo replaced in place by one of the same size (only its modification time tells): the new bytes, read once.
      const replaced = Buffer.from(PNG, "base64");
      replaced.writeUInt8(replaced.readUInt8(replaced.length - 1) ^ 0xff, replaced.length - 1);
      fs.writeFileSync(logo, replaced);
      fs.utimesSync(logo, new Date("2030-01-01T00:00:00Z"), new Date("2030-01-01T00:00:00Z"));
      expect(localLogo("https://billing.example/cached.png", where)?.data.equals(replaced)).toBe(true);
      localLogo("https://billing.example/cached.png", where);
      expect(readsOf(logo)).toBe(3);

      // Gone: no logo, not the bytes kept from before.
      fs.rmSync(logo);
      expect(localLogo("https://billing.example/cached.png", where)).toBeNull();
    } finally {
      reads.mockRestore();
    }
  });

  it("is drawn as an image in the letterhead", async () => {
    const bytes = await renderInvoicePdf(input({}, { seller: { name: "Acme", taxNumber: "51 824 753 556", logo: localLogo(`data:image/png;base64,${PNG}`, where) } }));
    expect(Buffer.from(bytes).toString("latin1")).toMatch(/\/Subtype\s*\/Image/);
  });
});
