import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import nextPlugin from "@next/eslint-plugin-next";

// no-restricted-imports takes one option object per file: each layer rule below repeats the global paths.
const restrictedPaths = [{ name: "next/font/google", message: "Offline builds: use next/font/local or the system font stack." }];

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", ".data/**", ".data-*/**", "drizzle/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "no-restricted-imports": ["error", { paths: restrictedPaths }],
    },
  },
  {
    // Playwright fixtures call `use()`, which is not React's hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    files: ["lib/billing/**", "lib/money/**", "lib/tax/**"],
    rules: {
      "no-restricted-globals": ["error", { name: "parseFloat", message: "Money is integer minor units: never parse floats." }],
    },
  },
  {
    // Built once per renewal by the billing run (100,000 a run): an object spread followed by new
    // properties gets a slow dictionary store on V8, 5–20× the cost of writing it out
    // (npm run bench:rules, bench/RESULTS.md P1). Put new properties before the spread.
    files: ["lib/services/renewals/**", "lib/services/invoices/insert-draft.ts", "lib/services/payments/plan-charge-result.ts", "lib/services/payments/settle-charges.ts", "lib/audit/record.ts", "db/set-sql.ts", "db/select-rows.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-syntax": ["error", { selector: "ObjectExpression > SpreadElement ~ Property", message: "On the billing run's per-renewal path, put new properties before the spread (bench/RESULTS.md P1)." }],
    },
  },
  // Layers (README, Layout): routes use components, never the reverse; the engine knows no database.
  {
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: restrictedPaths,
          patterns: [{ regex: "^(@/|(\\.\\./)+)app(/|$)", message: "components/ never import app/: server actions that components call live in lib/actions/." }],
        },
      ],
    },
  },
  {
    files: ["lib/billing/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: restrictedPaths,
          patterns: [{ regex: "^(@/|(\\.\\./)+)(db|lib/services|services)(/|$)", message: "lib/billing is the pure engine: it imports neither db/ nor lib/services; its vocabulary lives in lib/billing and db/schema imports it." }],
        },
      ],
    },
  },
);
