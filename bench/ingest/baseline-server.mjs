// The raw limit the single-event endpoint is measured against: a bare node:http server that reads
// the body, parses it, and does one INSERT (on conflict do nothing on the identifier) into a table
// on the same PostgreSQL. No framework, no API key, no validation, no rollups. Started by run.ts.
import http from "node:http";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
await pool.query(
  "create table if not exists bench_usage_baseline (identifier text primary key, meter text not null, customer text not null, \"timestamp\" timestamptz not null, properties jsonb not null, received_at timestamptz not null default now())",
);

const server = http.createServer((req, res) => {
  if (req.method !== "POST") return void res.writeHead(200).end("ok");
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    try {
      const e = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const { rowCount } = await pool.query(
        'insert into bench_usage_baseline (identifier, meter, customer, "timestamp", properties) values ($1, $2, $3, $4, $5) on conflict (identifier) do nothing',
        [e.identifier, e.meter, e.customer, e.timestamp, e.properties],
      );
      res.writeHead(rowCount === 1 ? 201 : 200, { "content-type": "application/json" }).end('{"object":"usage_event"}');
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("baseline ready"));
process.on("SIGTERM", () => server.close(() => pool.end().then(() => process.exit(0))));
