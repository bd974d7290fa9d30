import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

// graphql ships CommonJS and ESM builds; one module must serve every importer (Pothos, graphql-yoga,
// the tests), or types from one are refused by the other ("from another module or realm").
const alias = [
  { find: /^@\//, replacement: fileURLToPath(new URL("./", import.meta.url)) },
  { find: /^graphql$/, replacement: "graphql/index.js" },
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          environment: "node",
          include: ["lib/**/*.test.ts", "db/**/*.test.ts", "scripts/**/*.test.ts", "deploy/**/*.test.ts", "components/**/*.test.ts", "emails/**/*.test.tsx", "lib/**/*.test.tsx"],
          setupFiles: ["tests/setup/fail-on-console-error.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          environment: "node",
          globalSetup: ["tests/setup/global-database.ts"],
          include: ["tests/**/*.test.ts"],
          setupFiles: ["tests/setup/fail-on-console-error.ts", "tests/setup/database.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
