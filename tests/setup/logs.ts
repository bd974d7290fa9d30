import { setLogDestination, type LogLevel } from "@/lib/observability/logger";

/** One JSON log line as the logger wrote it. */
export type LogLine = { level: string; msg?: string; [field: string]: unknown };

const state = globalThis as unknown as { __tallyTestLogs?: { lines: LogLine[]; taken: Set<LogLine> } };

/**
 * Send the logger's lines to memory for the running test (tests/setup/fail-on-console-error.ts does
 * it before each test): a test reads them with `logged`, and an error line it did not take with
 * `takeLogged` fails it, like a console.error.
 */
export function captureLogs(level: LogLevel = "debug"): void {
  const capture = { lines: [] as LogLine[], taken: new Set<LogLine>() };
  state.__tallyTestLogs = capture;
  const write = (chunk: string) => {
    for (const line of chunk.split("\n")) if (line.trim()) capture.lines.push(JSON.parse(line) as LogLine);
  };
  setLogDestination({ write }, level);
}

/** The lines logged so far in this test, optionally of one level. */
export function logged(level?: string): LogLine[] {
  const lines = state.__tallyTestLogs?.lines ?? [];
  return level ? lines.filter((l) => l.level === level) : [...lines];
}

/** The lines of a level logged so far, taken: an expected error no longer fails the test. */
export function takeLogged(level: string): LogLine[] {
  const lines = logged(level);
  for (const line of lines) state.__tallyTestLogs?.taken.add(line);
  return lines;
}

/** Error lines nobody took. */
export function untakenErrors(): LogLine[] {
  const capture = state.__tallyTestLogs;
  return capture ? capture.lines.filter((l) => (l.level === "error" || l.level === "fatal") && !capture.taken.has(l)) : [];
}

/** Each line's message and its error's message, one string per line (for toContain checks). */
export function messages(lines: readonly LogLine[]): string[] {
  return lines.map((l) => [l.msg, (l.err as { message?: string } | undefined)?.message].filter(Boolean).join(": "));
}
