import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface Received {
  webhookId: string;
  type: string;
  body: string;
  at: number;
  /** Every signature in the header that one of the receiver's secrets verifies. */
  verifiedWith: string[];
}

/**
 * A local receiver that checks every request with the `standardwebhooks` library against each of
 * its secrets (a request none verifies is answered 400 and counted in `rejected`). `answer` decides
 * the status from the webhook-id (default 200); `onRequest` runs before answering (e.g. to abort the deliverer).
 */
export async function startReceiver(options: { secrets: () => string[]; answer?: (webhookId: string) => number; delayMs?: () => number; onRequest?: (r: Received) => void }) {
  const received: Received[] = [];
  let rejected = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = { "webhook-id": String(req.headers["webhook-id"] ?? ""), "webhook-timestamp": String(req.headers["webhook-timestamp"] ?? ""), "webhook-signature": String(req.headers["webhook-signature"] ?? "") };
      const verifiedWith = options.secrets().filter((secret) => {
        try {
          new Webhook(secret).verify(body, headers);
          return true;
        } catch {
          return false;
        }
      });
      const status = options.answer?.(headers["webhook-id"]) ?? 200;
      const finish = () => {
        if (verifiedWith.length === 0) {
          rejected++;
          res.writeHead(400).end("bad signature");
          return;
        }
        if (status >= 200 && status < 300) {
          const entry = { webhookId: headers["webhook-id"], type: (JSON.parse(body) as { type: string }).type, body, at: Date.now(), verifiedWith };
          received.push(entry);
          options.onRequest?.(entry);
        }
        res.writeHead(status, { "content-type": "text/plain" }).end(status === 410 ? "gone" : "ok");
      };
      const delay = options.delayMs?.() ?? 0;
      if (delay > 0) setTimeout(finish, delay);
      else finish();
    });
  });
  server.keepAliveTimeout = 5_000;
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    rejected: () => rejected,
    /** TCP connections opened to it (few when the deliverer keeps them alive). */
    connections: () => connections,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
