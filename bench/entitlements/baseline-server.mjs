// The no-op HTTP baseline the entitlement check is measured against: a bare node:http server that
// answers every request with a fixed JSON body of the same size as Tally's answer. No framework,
// no key, no database. Started by run.ts.
import http from "node:http";

const body = process.env.BODY ?? '{"object":"entitlements"}';
const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) }).end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("baseline ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
