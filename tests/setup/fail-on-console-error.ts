import { afterEach, beforeEach, vi } from "vitest";
import { captureLogs, messages, untakenErrors } from "./logs";

// A console.error during a test, or an error line from the logger the test did not take
// (takeLogged), is a bug we did not assert on: fail the test. Log lines go to memory (./logs.ts).
let errors: unknown[][] = [];
beforeEach(() => {
  errors = [];
  captureLogs();
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    errors.push(args);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  const loggedErrors = messages(untakenErrors());
  if (errors.length > 0 || loggedErrors.length > 0) {
    throw new Error(`an error was logged during the test:\n${[...errors.map((a) => a.map(String).join(" ")), ...loggedErrors].join("\n")}`);
  }
});
