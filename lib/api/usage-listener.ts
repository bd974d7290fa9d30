import http from "node:http";
import { AppError } from "@/lib/errors";
import { bodyText, MAX_BODY_BYTES } from "./body";
import { newRequestId, type ApiAnswer, type ApiRequest, type ApiRoute } from "./handler";
import { renderProblem } from "./problem";
import { postUsageEvent, postUsageEventBatch } from "./usage-event-routes";
import { errorField, log } from "@/lib/observability/logger";

const ROUTES: Record<string, ApiRoute> = {
  "/api/v1/usage_events": postUsageEvent,
  "/api/v1/usage_events/batch": postUsageEventBatch,
};

function send(res: http.ServerResponse, answer: ApiAnswer): void {
  const body = answer.body ?? "";
  res.writeHead(answer.status, { ...answer.headers, "content-length": String(Buffer.byteLength(body)) }).end(body);
}

const refuse = (res: http.ServerResponse, error: unknown) => send(res, renderProblem(error, newRequestId()));

/**
 * Usage ingest on a plain node:http port of its own (USAGE_EVENTS_PORT), in the same process as the
 * Next server: the same route handlers as app/api/v1/usage_events (API key, rate limit, idempotency
 * keys, zod, the ingest service), without Next's per-request routing, which costs more CPU than a
 * single event's whole ingest (docs/decisions/028-usage-metering.md, bench/RESULTS.md I2).
 */
export function createUsageEventsServer(): http.Server {
  return createRouteServer(ROUTES);
}

/**
 * A plain node:http server handing POSTs to `routes` (path → route), the body capped as the API
 * caps it; any other path or method is a 404 naming what is served. Requests go to the pipeline as
 * read (ApiRequest) and its answers are written as they come, without web Requests and Responses
 * (their streams cost about a sixth of a single event's CPU here).
 */
export function createRouteServer(routes: Readonly<Record<string, ApiRoute>>): http.Server {
  const served = Object.keys(routes)
    .map((p) => `POST ${p}`)
    .join(" and ");
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const route = routes[path];
    if (!route || req.method !== "POST") {
      req.resume();
      return refuse(res, new AppError("not_found", { userMessage: `This port serves only ${served}.` }));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      // Past the cap the body is refused by its length; what follows is not kept.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      size += chunk.length;
    });
    req.on("end", () => {
      const headers = req.headers;
      const request: ApiRequest = {
        method: "POST",
        url: `http://${headers.host ?? "localhost"}${req.url ?? path}`,
        headers: { get: (name) => nodeHeader(headers, name) },
        bodyText: async () => bodyText(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), size),
      };
      route
        .answer(request)
        .then((answer) => send(res, answer))
        .catch((error: unknown) => {
          log.error({ ...errorField(error) }, "usage listener failed");
          refuse(res, new AppError("internal", { userMessage: "The events were not recorded; retry with the same identifiers." }));
        });
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

/** A header of node:http's request as web Headers would give it (names are case-insensitive; repeats joined). */
function nodeHeader(headers: http.IncomingHttpHeaders, name: string): string | null {
  const value = headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Starts the listener when USAGE_EVENTS_PORT is set (from the server's boot); USAGE_EVENTS_HOST picks the interface. */
export async function startUsageEventsListener(port: number, host = process.env.USAGE_EVENTS_HOST ?? "0.0.0.0"): Promise<http.Server> {
  const server = createUsageEventsServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
