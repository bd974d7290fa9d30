import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * "Time is passed in, never read inside domain code." This scans the source of lib/money and
 * lib/time (tests excluded) for clock reads; clock.ts, home of systemClock, is the one exception.
 */
const libDir = fileURLToPath(new URL("..", import.meta.url));
const CLOCK_READS = [/Date\.now\s*\(/, /new\s+Date\s*\(\s*\)/, /performance\.now\s*\(/, /Temporal\.Now\b/, /(?<!new\s+)\bDate\s*\(\s*\)/];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.startsWith("test-"))
    .map((f) => join(dir, f));
}

/** Comments may mention `new Date()` when explaining the rule; only code counts. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
}

describe("no clock reads in lib/money and lib/time", () => {
  const files = [...sourceFiles(join(libDir, "money")), ...sourceFiles(join(libDir, "time"))];

  it("finds the source files", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [f.slice(libDir.length)]))("%s", (relative) => {
    const code = stripComments(readFileSync(join(libDir, relative), "utf8"));
    const hits = CLOCK_READS.filter((re) => re.test(code)).map(String);
    if (relative.endsWith("clock.ts")) {
      expect(hits).toEqual([String(CLOCK_READS[1])]); // exactly systemClock's `new Date()`
    } else {
      expect(hits).toEqual([]);
    }
  });
});
