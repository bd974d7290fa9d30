import { metricsResponse } from "@/lib/observability/metrics-endpoint";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Prometheus scrapes this (lib/observability, decision 040). */
export const GET = (req: Request): Promise<Response> => metricsResponse(req);
