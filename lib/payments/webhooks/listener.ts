import http from "node:http";
import { acceptStripeWebhook, MAX_WEBHOOK_BODY_BYTES, problem, tooLarge, type WebhookAnswer } from "./accept";
import { errorField, log } from "@/lib/observability/logger";

export const WEBHOOK_PATH = "/api/webhooks/stripe";

/**
 * Stripe's webhooks on a plain node:http port of their own (STRIPE_WEBHOOK_PORT), in the same
 * process as the Next server: the same handler as the route, without Next's per-request routing,
 * which costs more CPU than the whole accept path (docs/decisions/009-stripe-webhooks.md).
 */
export function createStripeWebhookServer(): http.Server {
  const server = http.createServer((req, res) => {
    const send = (answer: WebhookAnswer) => {
      res.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) });
      res.end(answer.body);
    };
    const path = (req.url ?? "/").split("?")[0];
    if (path !== WEBHOOK_PATH) return send(problem(404, "not_found", `This port serves only POST ${WEBHOOK_PATH}.`));
    if (req.method !== "POST") return send(problem(405, "method_not_allowed", `Use POST ${WEBHOOK_PATH}.`));
    if (Number(req.headers["content-length"] ?? 0) > MAX_WEBHOOK_BODY_BYTES) {
      send(tooLarge());
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_WEBHOOK_BODY_BYTES && !refused) {
        refused = true;
        send(tooLarge());
      }
      if (!refused) chunks.push(chunk);
    });
    req.on("end", () => {
      if (refused) return;
      const signature = req.headers["stripe-signature"];
      acceptStripeWebhook(Buffer.concat(chunks).toString("utf8"), typeof signature === "string" ? signature : null).then(send, (error: unknown) => {
        log.error({ ...errorField(error) }, "stripe webhook listener failed");
        send(problem(500, "internal", "The event was not recorded; it will be on Stripe's next delivery."));
      });
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
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
