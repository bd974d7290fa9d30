/**
 * Tally's side of the batch parts (a and d): the batch route handlers of POST /usage_events/batch and
 * POST /api_costs/batch on a node:http server in a process of its own, as Tally runs beside the
 * client that calls it (COPY's client, psql, is a process of its own too). Started by run.ts with
 * DATABASE_URL and PORT; GET answers 200 once ready.
 */
import http from "node:http";
import { closeDb, getDb } from "@/db/client";
import { POST as usageBatchRoute } from "@/app/api/v1/usage_events/batch/route";
import { POST as costBatchRoute } from "@/app/api/v1/api_costs/batch/route";

const routes = new Map([
  ["/api/v1/usage_events/batch", usageBatchRoute],
  ["/api/v1/api_costs/batch", costBatchRoute],
]);

await getDb();
const server = http.createServer((req, res) => {
  if (req.method !== "POST") return void res.writeHead(200).end("ok");
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const route = routes.get(req.url ?? "");
    if (!route) return void res.writeHead(404).end();
    const request = new Request(`http://localhost${req.url ?? "/"}`, { method: req.method, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
    void route(request).then(async (response) => {
      res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/json" });
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("batch server ready"));
process.on("SIGTERM", () => server.close(() => void closeDb().then(() => process.exit(0))));
