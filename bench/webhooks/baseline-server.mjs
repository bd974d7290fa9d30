// The raw limit the webhook endpoint is measured against: a bare node:http server that reads the
// body, parses it, and does one INSERT (on conflict do nothing) into a table on the same
// PostgreSQL. No framework, no signature check, no business logic. Started by run.ts.
import http from "node:http";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
await pool.query("create table if not exists bench_webhook_baseline (id text primary key, type text not null, payload jsonb not null, received_at timestamptz not null default now())");

const server = http.createServer((req, res) => {
  if (req.method !== "POST") return void res.writeHead(200).end("ok");
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    try {
      const event = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      await pool.query("insert into bench_webhook_baseline (id, type, payload) values ($1, $2, $3) on conflict (id) do nothing", [event.id, event.type, event]);
      res.writeHead(200, { "content-type": "application/json" }).end('{"received":true}');
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("baseline ready"));
process.on("SIGTERM", () => server.close(() => pool.end().then(() => process.exit(0))));
