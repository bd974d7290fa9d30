import { createHash, timingSafeEqual } from "node:crypto";
import { getDb } from "@/db/client";
import { updateDatabaseGauges } from "./database-gauges";
import { metrics } from "./metrics";

export interface MetricsAccess {
  token: string | undefined;
  production: boolean;
}

/**
 * Who may read /metrics (decision 040): with `METRICS_TOKEN` set, a request bearing it
 * (`Authorization: Bearer <token>`); without it, anyone outside production, and no one in
 * production (404, as if there were no such page: the figures include the MRR).
 */
export function metricsAccess(authorization: string | null, access: MetricsAccess): "allowed" | "unauthorized" | "off" {
  if (!access.token) return access.production ? "off" : "allowed";
  const given = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim() ?? "";
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(access.token)) ? "allowed" : "unauthorized";
}

function accessFromEnv(): MetricsAccess {
  return { token: process.env.METRICS_TOKEN || undefined, production: process.env.NODE_ENV === "production" };
}

/** GET /metrics: Prometheus's text exposition of this process's metrics and the database's figures. */
export async function metricsResponse(req: Request, access: MetricsAccess = accessFromEnv(), now = new Date()): Promise<Response> {
  const verdict = metricsAccess(req.headers.get("authorization"), access);
  if (verdict === "off") return new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  if (verdict === "unauthorized") {
    return new Response("Unauthorized\n", { status: 401, headers: { "content-type": "text/plain; charset=utf-8", "www-authenticate": 'Bearer realm="metrics"' } });
  }
  const { registry } = metrics();
  // A database that does not answer leaves its figures out; the process's own metrics still render.
  const db = await getDb().catch(() => null);
  if (db) await updateDatabaseGauges(registry, db, now);
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
}
