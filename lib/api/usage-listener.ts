import http from "node:http";
import { AppError } from "@/lib/errors";
import { MAX_BODY_BYTES } from "./body";
import { newRequestId, type RouteHandler } from "./handler";
import { problemResponse } from "./problem";
import { postUsageEvent, postUsageEventBatch } from "./usage-event-routes";
import { errorField, log } from "@/lib/observability/logger";

const ROUTES: Record<string, RouteHandler> = {
  "/api/v1/usage_events": postUsageEvent,
  "/api/v1/usage_events/batch": postUsageEventBatch,
};

async function send(res: http.ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = { "content-length": String(body.length) };
  response.headers.forEach((value, name) => void (headers[name] = value));
  res.writeHead(response.status, headers).end(body);
}

const refuse = (res: http.ServerResponse, error: unknown) => void send(res, problemResponse(error, newRequestId()));

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
 * A plain node:http server handing POSTs to `routes` (path → route handler) through web Requests,
 * the body capped as the API caps it; any other path or method is a 404 naming what is served.
 */
export function createRouteServer(routes: Readonly<Record<string, RouteHandler>>): http.Server {
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
      // Past the cap the handler refuses the body by its length; what follows is not kept.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      size += chunk.length;
    });
    req.on("end", () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      headers.set("content-length", String(size));
      const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? path}`, { method: "POST", headers, body: Buffer.concat(chunks) });
      route(request)
        .then((response) => send(res, response))
        .catch((error: unknown) => {
          log.error({ ...errorField(error) }, "usage listener failed");
          refuse(res, new AppError("internal", { userMessage: "The events were not recorded; retry with the same identifiers." }));
        });
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
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
