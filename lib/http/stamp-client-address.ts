import http from "node:http";
import { parseTrustedProxies, stampClientAddress } from "./client-address";

const INSTALLED = Symbol.for("tally.client-address.installed");
// Every event through which node:http hands a request to the application.
const REQUEST_EVENTS = new Set<string | symbol>(["request", "checkContinue", "checkExpectation", "upgrade"]);

/**
 * Runs from instrumentation.ts's register hook, in the process that serves every request under
 * `next start` (pages, server actions, route handlers, proxy.ts) and the Stripe webhook port:
 * each request gets its client address stamped before any listener, Next's included, sees it.
 * Requests accepted before this runs (the server listens while it boots) carry no stamp and count
 * as one unknown client, whatever they claim.
 */
export function installClientAddressStamp(trustedProxies = process.env.TRUSTED_PROXIES): void {
  const g = globalThis as { [INSTALLED]?: boolean };
  if (g[INSTALLED]) return;
  const trusted = parseTrustedProxies(trustedProxies);
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emitStamped(this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (REQUEST_EVENTS.has(event)) {
      const req = args[0] as http.IncomingMessage;
      stampClientAddress(req.headers, req.socket.remoteAddress, trusted);
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
  g[INSTALLED] = true;
}
