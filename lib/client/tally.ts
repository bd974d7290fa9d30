import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, operations, paths } from "./openapi";

/**
 * A typed client for the Tally REST API: openapi-fetch over the types generated from
 * /api/v1/openapi.json (lib/client/openapi.d.ts, `npm run client:generate`). Paths, parameters,
 * bodies and answers are checked against the document at compile time.
 *
 *   const tally = createTallyClient({ baseUrl: "https://billing.example.com", apiKey: process.env.TALLY_KEY! });
 *   const { data, error } = await tally.POST("/customers", { body: { email: "ann@example.com", currency: "aud" } });
 *   // error is the problem+json body (code, param, detail) when the answer is not 2xx.
 */
export type TallyClient = Client<paths>;
export type { components, operations, paths };

export interface TallyClientOptions {
  /** Where Tally runs, e.g. "https://billing.example.com" (the client adds /api/v1). */
  baseUrl: string;
  /** A secret API key: tk_test_… or tk_live_…. */
  apiKey: string;
  /** A fetch to use instead of the global one. */
  fetch?: ClientOptions["fetch"];
}

export function createTallyClient(options: TallyClientOptions): TallyClient {
  return createClient<paths>({
    baseUrl: `${options.baseUrl.replace(/\/+$/, "")}/api/v1`,
    headers: { authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
