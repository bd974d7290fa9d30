export const dynamic = "force-dynamic";

/** Liveness: the process answers. Never touches the database, so a DB outage does not restart it. */
export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
