import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What every log line written while a piece of work runs carries (lib/observability/logger.ts):
 * the API request's id and key, or the job and the outbox event being handled. Kept in
 * AsyncLocalStorage, so code below a route or a job logs without passing it along.
 */
export interface LogContext {
  request_id?: string;
  api_key_id?: string;
  job?: string;
  event_id?: string;
  event_type?: string;
}

const g = globalThis as unknown as { __tallyLogContext?: AsyncLocalStorage<LogContext> };
const storage = (g.__tallyLogContext ??= new AsyncLocalStorage<LogContext>());

/** Run `fn` with `context` as the whole context (nothing of the caller's is kept: a job nudged by a request is not that request). */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...context }, fn);
}

/** Add fields to the running context (e.g. the API key once the request is authenticated). No-op outside one. */
export function addToLogContext(fields: LogContext): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}

export function logContext(): LogContext | undefined {
  return storage.getStore();
}
