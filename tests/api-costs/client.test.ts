import { describe, expect, it } from "vitest";
import { POST as postProvider } from "@/app/api/v1/cost_providers/route";
import { POST as postCost } from "@/app/api/v1/api_costs/route";
import { POST as postBatch } from "@/app/api/v1/api_costs/batch/route";
import { GET as getSummary } from "@/app/api/v1/api_costs/summary/route";
import type { RouteHandler } from "@/lib/api/handler";
import { fromOpenAIUsage, TallyCostError, TallyCosts } from "@/lib/client/tally-costs";
import { randomToken } from "@/lib/ids";
import { newKey } from "../api/support";
import { answer, makeApiCustomer, uniqueCode } from "../usage/support";

/** fetch, answered by the route handlers themselves (what a server on a port would run). */
const routes: Record<string, RouteHandler> = { "/api/v1/api_costs": postCost, "/api/v1/api_costs/batch": postBatch };
const routeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
  const req = new Request(input, init);
  const route = routes[new URL(req.url).pathname];
  return route ? route(req, { params: Promise.resolve({}) }) : new Response("{}", { status: 404 });
}) as typeof fetch;

describe("the typed client against the API", () => {
  it("records an OpenAI response's usage as two costs priced per token, once however often it is sent", async () => {
    const { key } = await newKey();
    const provider = uniqueCode("openai");
    await answer(postProvider, key, 200, {
      path: "/cost_providers",
      body: {
        code: provider,
        name: "OpenAI (example rates)",
        rates: [
          { operation: "prompt", unit: "token", unit_cost_decimal: "0.000015", currency: "usd", effective_from: "2020-01-01T00:00:00Z", note: "example: gpt-4o-mini input" },
          { operation: "completion", unit: "token", unit_cost_decimal: "0.00006", currency: "usd", effective_from: "2020-01-01T00:00:00Z", note: "example: gpt-4o-mini output" },
        ],
      },
    });
    const customer = await makeApiCustomer(key, { external_id: `ext-${randomToken(6)}` });
    const client = new TallyCosts({ baseUrl: "http://localhost", apiKey: key, fetch: routeFetch });
    const usage = { prompt_tokens: 1234, completion_tokens: 567, total_tokens: 1801 };
    const costs = fromOpenAIUsage(usage, { model: "gpt-4o-mini", identifier: `chatcmpl-${randomToken(8)}`, customer: { externalId: String(customer.external_id) }, provider });
    expect(await client.recordApiCosts(costs)).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect(await client.recordApiCosts(costs)).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
    const single = await client.recordApiCost(costs[0]!);
    expect(single).toMatchObject({ operation: "prompt", units: "1234", cost_decimal: "0.01851", currency: "usd", customer: customer.id, properties: { model: "gpt-4o-mini" } });

    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const summary = await answer<{ data: { key: string; cost: number; cost_decimal: string }[] }>(getSummary, key, 200, {
      method: "GET",
      path: `/api_costs/summary?from=${from}&to=${to}&group_by=operation&provider=${provider}&currency=usd`,
    });
    // 1234 × 0.000015 = 0.01851 and 567 × 0.00006 = 0.03402 US cents: both round to 0 once per row.
    expect(summary.data).toEqual(expect.arrayContaining([expect.objectContaining({ key: "prompt", cost: 0, cost_decimal: "0.01851" }), expect.objectContaining({ key: "completion", cost: 0, cost_decimal: "0.03402" })]));

    await expect(client.recordApiCost({ identifier: "x", provider: "no-such", operation: "prompt", units: 1 })).rejects.toBeInstanceOf(TallyCostError);
  });
});
