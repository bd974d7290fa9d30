import pino, { type DestinationStream, type Logger } from "pino";
import { logContext } from "./context";

/**
 * Tally's one logger: JSON lines on stdout (pino), `LOG_LEVEL` (default info). Every line carries
 * the running request's or job's context (lib/observability/context.ts). Never give it secrets,
 * tokens, card data or request bodies; the redaction below is a safety net, not the rule.
 */
const REDACT = [
  "authorization",
  "cookie",
  "password",
  "secret",
  "token",
  "apiKey",
  "card",
  "*.authorization",
  "*.cookie",
  "*.password",
  "*.secret",
  "*.token",
  "*.apiKey",
  "*.card",
  "headers.authorization",
  "headers.cookie",
];

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";

const LEVELS = new Set<string>(["trace", "debug", "info", "warn", "error", "fatal", "silent"]);

/** `LOG_LEVEL` when it names a pino level, else info. */
export function configuredLevel(value = process.env.LOG_LEVEL): LogLevel {
  const level = value?.trim().toLowerCase();
  return level && LEVELS.has(level) ? (level as LogLevel) : "info";
}

export function createLogger(destination?: DestinationStream, level: LogLevel = configuredLevel()): Logger {
  return pino(
    {
      level,
      base: { service: "tally", pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...logContext() }),
      redact: { paths: REDACT, censor: "[redacted]" },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

const state = globalThis as unknown as { __tallyLogger?: Logger };

function current(): Logger {
  return (state.__tallyLogger ??= createLogger());
}

/** Send the log lines somewhere else (tests capture them); `null` goes back to stdout. */
export function setLogDestination(destination: DestinationStream | null, level?: LogLevel): void {
  state.__tallyLogger = destination ? createLogger(destination, level) : createLogger(undefined, level);
}

type Fields = Record<string, unknown>;

function write(level: "debug" | "info" | "warn" | "error", fieldsOrMessage: Fields | string, message?: string): void {
  const logger = current();
  if (typeof fieldsOrMessage === "string") logger[level](fieldsOrMessage);
  else logger[level](fieldsOrMessage, message);
}

/** `log.warn("message")` or `log.warn({ field: value, err: error }, "message")` (an `err` is serialised with its stack). */
export const log = {
  debug: (fieldsOrMessage: Fields | string, message?: string) => write("debug", fieldsOrMessage, message),
  info: (fieldsOrMessage: Fields | string, message?: string) => write("info", fieldsOrMessage, message),
  warn: (fieldsOrMessage: Fields | string, message?: string) => write("warn", fieldsOrMessage, message),
  error: (fieldsOrMessage: Fields | string, message?: string) => write("error", fieldsOrMessage, message),
};

/** An error as a log field: its message (and stack through pino's serializer); a non-Error as text. */
export function errorField(error: unknown): Fields {
  return error instanceof Error ? { err: error } : { err: { message: String(error) } };
}
