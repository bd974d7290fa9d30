import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url);
const lock = JSON.parse(fs.readFileSync(new URL("package-lock.json", root), "utf8")) as {
  packages: Record<string, { optionalDependencies?: Record<string, string>; engines?: { node?: string } }>;
};
const pkg = JSON.parse(fs.readFileSync(new URL("package.json", root), "utf8")) as { engines: { node: string } };

/** Where Node's resolution would find `name` from the package installed at `from`. */
function resolvesIn(from: string, name: string): boolean {
  let dir = from;
  for (;;) {
    if (lock.packages[`${dir ? `${dir}/` : ""}node_modules/${name}`]) return true;
    if (!dir) return false;
    const at = dir.lastIndexOf("node_modules/");
    dir = at <= 0 ? "" : dir.slice(0, at - 1);
  }
}

describe("the committed lock installs with npm ci anywhere", () => {
  it("lists every optional dependency of every locked package (each platform's binaries)", () => {
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        if (!resolvesIn(path, name)) missing.push(`${path} → ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("the Node.js version", () => {
  const check = (version: string) =>
    spawnSync(
      process.execPath,
      ["--input-type=module", "-e", `Object.defineProperty(process.versions, "node", { value: "${version}" }); Object.defineProperty(process, "version", { value: "v${version}" }); await import(${JSON.stringify(new URL("scripts/check-node.mjs", root).href)});`],
      { encoding: "utf8" },
    );

  it("package.json states the real requirement (eslint, vite and react-email need 20.19 / 22.13; eslint leaves out 23)", () => {
    expect(pkg.engines.node).toBe("^20.19.0 || ^22.13.0 || >=24");
  });

  it.each(["18.20.4", "20.9.0", "20.18.3", "21.7.3", "22.12.0", "23.11.0"])("refuses %s early with the requirement in words", (version) => {
    const result = check(version);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Tally needs Node.js ${pkg.engines.node} (this is v${version})`);
  });

  it.each(["20.19.0", "20.20.2", "22.13.0", "24.1.0"])("accepts %s", (version) => {
    expect(check(version).status).toBe(0);
  });
});
