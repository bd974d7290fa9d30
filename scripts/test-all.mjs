// `npm test`: every check, in order, stopping at the first failure.
// Integration tests use DATABASE_URL when set (each test file on its own database), PGlite otherwise.
// Playwright runs against the production build with the system Chromium; without Chromium it is
// skipped with the reason printed, unless E2E_REQUIRED is set, which makes a missing browser a failure.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" };
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const steps = [
  ["typecheck", "npx", ["tsc", "--noEmit"]],
  ["lint", "npx", ["eslint", "--max-warnings", "0", "."]],
  ["structure (no import circles)", "npm", ["run", "--silent", "check:structure"]],
  ["unit tests", "npx", ["vitest", "run", "--project", "unit"]],
  [`integration tests (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`, "npx", ["vitest", "run", "--project", "integration"]],
  ["production build", "npx", ["next", "build"]],
  ["standalone server (the container image's directory, booted as its CMD runs it)", "node", ["scripts/standalone-check.mjs"]],
  ["browser tests (Playwright, system Chromium)", "npx", ["playwright", "test"]],
];

const started = Date.now();
for (const [name, command, args] of steps) {
  if (name.startsWith("browser") && !fs.existsSync(chromium)) {
    if (process.env.E2E_REQUIRED) {
      console.error(`\n✗ ${name}: no Chromium at ${chromium} and E2E_REQUIRED is set. Install it (apt-get install chromium) or set CHROMIUM_PATH.`);
      process.exit(1);
    }
    console.log(`\n- ${name}: SKIPPED, no Chromium at ${chromium} (install Debian's chromium or set CHROMIUM_PATH; set E2E_REQUIRED=1 to make this a failure)`);
    continue;
  }
  console.log(`\n▶ ${name}`);
  const t = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}
console.log(`\nAll checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
