import http from "node:http";
import { getDb } from "@/db/client";
import { notFound } from "@/lib/errors";
import { parseTrustedProxies, resolveClientAddress, type TrustedProxies } from "@/lib/http/client-address";
import { entitlementsJson } from "@/lib/services/customers/entitlements-cache";
import { newRequestId } from "./handler";
import { authenticateApiKeyCached, cachedApiKey } from "./keys";
import { renderProblem } from "./problem";
import { countFailedAuth, enforceRateLimit, refuseKeyGuessing } from "./rate-limit";

const PATH = /^\/api\/v1\/customers\/(cus_[0-9A-Za-z]{1,64})\/entitlements\/?$/;

/**
 * GET /api/v1/customers/{id}/entitlements on a plain node:http port of its own (ENTITLEMENTS_PORT),
 * in the same process as the Next server: the check a SaaS makes on every request it serves. The
 * same answer as the route, from the same cache (entitlementsFor), with the same key, the same
 * entitlements rate budget and the same problem+json errors — without Next's per-request routing,
 * which costs more CPU than the cached check (docs/decisions/029-entitlements-cache.md,
 * bench/RESULTS.md E1). The Next route stays.
 */
export function createEntitlementsServer(trustedProxies = process.env.TRUSTED_PROXIES): http.Server {
  const trusted = parseTrustedProxies(trustedProxies);
  const server = http.createServer((req, res) => {
    const requestId = newRequestId();
    const send = (status: number, body: string, headers: Record<string, string>) => {
      res.writeHead(status, { ...headers, "request-id": requestId, "cache-control": "no-store", "content-length": Buffer.byteLength(body) });
      res.end(body);
    };
    const fail = (error: unknown) => {
      const p = renderProblem(error, requestId);
      send(p.status, p.body, p.headers);
    };
    answer(req, trusted).then((body) => send(200, body, { "content-type": "application/json; charset=utf-8" }), fail);
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

async function answer(req: http.IncomingMessage, trusted: TrustedProxies): Promise<string> {
  const match = PATH.exec((req.url ?? "/").split("?")[0] ?? "/");
  if (req.method !== "GET" || !match?.[1]) {
    // Nothing else is served here: the same 404 as an unknown customer, never a hint of other routes.
    throw notFound("customer", "id");
  }
  const db = await getDb();
  // A key this process has seen valid within the minute needs no lookup and no guessing check
  // (valid keys never count against an address); anything else goes the route's way.
  let apiKey = cachedApiKey(req.headers.authorization);
  if (!apiKey) {
    const ip = resolveClientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trusted);
    await refuseKeyGuessing(ip);
    apiKey = await authenticateApiKeyCached(db, req.headers.authorization).catch(async (error: unknown) => {
      await countFailedAuth(ip);
      throw error;
    });
  }
  await enforceRateLimit(apiKey.id, "entitlements");
  const json = await entitlementsJson(db, match[1], apiKey.livemode);
  if (json === null) throw notFound("customer", "id");
  return json;
}

/** Starts the listener when ENTITLEMENTS_PORT is set (from the server's boot); ENTITLEMENTS_HOST picks the interface. */
export async function startEntitlementsListener(port: number, host = process.env.ENTITLEMENTS_HOST ?? "0.0.0.0"): Promise<http.Server> {
  const server = createEntitlementsServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
