import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * "No locale outside one formatting module": a locale is an input, chosen for the reader (lib/format),
 * never a literal at a call site. This scans the code (comments stripped) for BCP 47 literals
 * ("en-AU", 'de-DE', `ja-JP`) and for Intl or toLocale*String calls given a literal locale ("en").
 * Allowed: lib/format itself, tests and test support (test-*.ts, tests/, e2e/), and seeds.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const SCANNED = ["app", "components", "lib", "db", "emails", "cli", "inngest", "scripts", "bench", "deploy", "proxy.ts", "instrumentation.ts"];
const LOCALE_LITERAL = /(["'`])[a-z]{2,3}(?:-[A-Z][a-z]{3})?-(?:[A-Z]{2}|\d{3})\1/;
const LITERAL_INTL_LOCALE = /(?:\bIntl\.\w+|\.toLocale\w*String)\(\s*\[?\s*(["'`])[a-z]{2,3}\1/;

function allowed(path: string): boolean {
  const name = path.split("/").pop()!;
  return path.startsWith("lib/format/") || /\.test\.tsx?$/.test(name) || name.startsWith("test-") || /(^|\/)seed[\w-]*\.ts$/.test(path) || path.startsWith("db/seed");
}

function files(path: string): string[] {
  const full = join(root, path);
  let stat;
  try {
    stat = statSync(full);
  } catch {
    return [];
  }
  if (stat.isFile()) return /\.(ts|tsx|mjs|js)$/.test(path) && !path.endsWith(".d.ts") ? [path] : [];
  return readdirSync(full)
    .filter((f) => f !== "node_modules" && !f.startsWith("."))
    .flatMap((f) => files(relative(root, join(full, f))));
}

/** Comments may name a locale when explaining it; only code counts. */
function code(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, "")).replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

describe("one formatting module", () => {
  const scanned = SCANNED.flatMap(files).filter((f) => !allowed(f));

  it("finds the code", () => {
    expect(scanned.length).toBeGreaterThan(500);
  });

  it("names no locale outside lib/format, tests and seeds", () => {
    const offenders = scanned.flatMap((path) =>
      code(readFileSync(join(root, path), "utf8"))
        .split("\n")
        .flatMap((line, i) => (LOCALE_LITERAL.test(line) || LITERAL_INTL_LOCALE.test(line) ? [`${path}:${i + 1}: ${line.trim().slice(0, 120)}`] : [])),
    );
    expect(offenders).toEqual([]);
  });

  it("catches what it is meant to catch", () => {
    expect(LOCALE_LITERAL.test('formatMoney(1000, "aud", "en-AU")')).toBe(true);
    expect(LOCALE_LITERAL.test("const LOCALE = 'de-DE';")).toBe(true);
    expect(LOCALE_LITERAL.test("`zh-Hant-TW`")).toBe(true);
    expect(LITERAL_INTL_LOCALE.test('n.toLocaleString("en")')).toBe(true);
    expect(LITERAL_INTL_LOCALE.test('new Intl.DisplayNames(["en"], { type: "region" })')).toBe(true);
    expect(LOCALE_LITERAL.test('timezone: "Australia/Sydney"')).toBe(false);
    expect(LOCALE_LITERAL.test('"e.g. de-DE or en"')).toBe(false);
  });
});
