import { headerValue, type HeaderSource } from "@/lib/http/client-address";
import { log } from "./logger";
import { withLogContext } from "./context";
import { observeHttpRequest } from "./metrics";

/** An incoming request id is kept when it is 1–128 characters of letters, digits and `._:-`; anything else is replaced. */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The request's id: the caller's `X-Request-Id` (or `Request-Id`) when sane, else a new one. */
export function requestIdFor(headers: HeaderSource, generate: () => string): string {
  const given = headerValue(headers, "x-request-id") ?? headerValue(headers, "request-id");
  return given !== undefined && SANE_REQUEST_ID.test(given) ? given : generate();
}

/**
 * Run one request's handling observed: its log lines carry the request id, and when it ends one
 * line says what it was (method, route template, status, duration; the API key once known, never a
 * body or a header) and the duration histogram counts it under the route's template
 * (`/api/v1/customers/{id}`), never the raw path.
 */
export async function observeRequest<A extends { status: number }>(method: string, route: string, requestId: string, run: () => Promise<A>): Promise<A> {
  return withLogContext({ request_id: requestId }, async () => {
    const started = performance.now();
    let status = 500;
    try {
      const response = await run();
      status = response.status;
      return response;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      observeHttpRequest(method, route, status, seconds);
      const fields = { method, route, status, duration_ms: Math.round(seconds * 10_000) / 10 };
      if (status >= 500) log.warn(fields, "request");
      else log.info(fields, "request");
    }
  });
}
