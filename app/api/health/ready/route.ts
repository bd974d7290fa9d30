import { readiness } from "@/lib/api/health";

export const dynamic = "force-dynamic";

/** Readiness: 200 with the driver when `select 1` succeeds, 503 `unavailable` otherwise. */
export function GET(): Promise<Response> {
  return readiness();
}
