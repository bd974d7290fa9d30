import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * A console page checks who is asking (requirePageUser: a visitor is sent to sign in, a subscriber
 * home) before it builds the staff member's formatter: consoleFormatter requires console access
 * itself and would answer a plain error instead of the redirect.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));

function pages(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return pages(path);
    return entry.name === "page.tsx" ? [relative(root, join(root, path))] : [];
  });
}

describe("console pages", () => {
  it("check the visitor before building their formatter", () => {
    const wrong = pages("app/admin").filter((page) => {
      const source = readFileSync(join(root, page), "utf8");
      const body = source.slice(source.indexOf("export default"));
      const formatter = body.indexOf("consoleFormatter()");
      const check = body.indexOf("requirePageUser(");
      return formatter >= 0 && (check < 0 || formatter < check);
    });
    expect(wrong).toEqual([]);
  });
});
