import { defineConfig, devices } from "@playwright/test";

const port = process.env.E2E_PORT ?? "3210";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    ...devices["Desktop Chrome"],
    baseURL: `http://127.0.0.1:${port}`,
    // Staff without a locale of their own read in their browser's: specs read Australian English unless they say otherwise.
    locale: "en-AU",
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [{ name: "chromium" }],
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `http://127.0.0.1:${port}/api/health/ready`,
    reuseExistingServer: false,
    // Preparing includes the demo seed's 18 months of history (db/seed-history.ts).
    timeout: 300_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
