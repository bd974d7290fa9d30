import http from "node:http";
import { newRequestId } from "@/lib/api/handler";
import { observeRequest, requestIdFor } from "@/lib/observability/http";
import { acceptStripeWebhook, MAX_WEBHOOK_BODY_BYTES, problem, tooLarge, WEBHOOK_PATH, type WebhookAnswer } from "./accept";
import { errorField, log } from "@/lib/observability/logger";

/**
 * Stripe's webhooks on a plain node:http port of their own (STRIPE_WEBHOOK_PORT), in the same
 * process as the Next server: the same handler as the route, without Next's per-request routing,
 * which costs more CPU than the whole accept path (docs/decisions/009-stripe-webhooks.md). Each
 * delivery is observed as the route's are: its request id (the caller's when sane), one request
 * line and the duration histogram under the route's path.
 */
export function createStripeWebhookServer(): http.Server {
  const server = http.createServer((req, res) => {
    const send = (answer: WebhookAnswer) => {
      if (res.headersSent) return;
      res.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) });
      res.end(answer.body);
    };
    const path = (req.url ?? "/").split("?")[0];
    if (path !== WEBHOOK_PATH) return send(problem(404, "not_found", `This port serves only POST ${WEBHOOK_PATH}.`));
    if (req.method !== "POST") return send(problem(405, "method_not_allowed", `Use POST ${WEBHOOK_PATH}.`));
    const requestId = requestIdFor(req.headers, newRequestId);
    void observeRequest("POST", WEBHOOK_PATH, requestId, () => delivery(req, requestId)).then(send);
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

/** One delivery's answer: 413 as soon as the body outgrows any event (the rest is read and dropped), else the handler's. */
function delivery(req: http.IncomingMessage, requestId: string): Promise<WebhookAnswer> {
  return new Promise((resolve) => {
    if (Number(req.headers["content-length"] ?? 0) > MAX_WEBHOOK_BODY_BYTES) {
      req.resume();
      return resolve(tooLarge(requestId));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_WEBHOOK_BODY_BYTES) resolve(tooLarge(requestId));
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_WEBHOOK_BODY_BYTES) return;
      const signature = req.headers["stripe-signature"];
      acceptStripeWebhook(Buffer.concat(chunks).toString("utf8"), typeof signature === "string" ? signature : null, requestId).then(resolve, (error: unknown) => {
        log.error({ ...errorField(error) }, "stripe webhook listener failed");
        resolve(problem(500, "internal", "The event was not recorded; it will be on Stripe's next delivery.", requestId));
      });
    });
  });
}

/** Starts the listener when STRIPE_WEBHOOK_PORT is set (from the server's boot); STRIPE_WEBHOOK_HOST picks the interface. */
export async function startStripeWebhookListener(port: number, host = process.env.STRIPE_WEBHOOK_HOST ?? "0.0.0.0"): Promise<http.Server> {
  const server = createStripeWebhookServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
