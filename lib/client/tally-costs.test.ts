import { describe, expect, it } from "vitest";
import { fromOpenAIUsage, TallyCostError, TallyCosts } from "./tally-costs";

describe("fromOpenAIUsage", () => {
  it("maps prompt and completion tokens to two costs", () => {
    expect(fromOpenAIUsage({ prompt_tokens: 1234, completion_tokens: 56, total_tokens: 1290 }, { model: "gpt-4o-mini", identifier: "chatcmpl-1", customer: { externalId: "u1" } })).toEqual([
      { identifier: "chatcmpl-1:prompt", provider: "openai", operation: "prompt", region: undefined, units: 1234, customer: { externalId: "u1" }, timestamp: undefined, properties: { model: "gpt-4o-mini", unit: "token" } },
      { identifier: "chatcmpl-1:completion", provider: "openai", operation: "completion", region: undefined, units: 56, customer: { externalId: "u1" }, timestamp: undefined, properties: { model: "gpt-4o-mini", unit: "token" } },
    ]);
  });
  it("counts thousands exactly and leaves out a kind without tokens", () => {
    const costs = fromOpenAIUsage({ prompt_tokens: 1234, completion_tokens: 0 }, { model: "m", identifier: "x", unit: "1k_tokens", operation: (k, m) => `${m}:${k}` });
    expect(costs.map((c) => [c.operation, c.units])).toEqual([["m:prompt", "1.234"]]);
    expect(fromOpenAIUsage({ prompt_tokens: 7, completion_tokens: 120000 }, { model: "m", identifier: "y", unit: "1k_tokens" }).map((c) => c.units)).toEqual(["0.007", "120"]);
  });
});

describe("TallyCosts", () => {
  it("posts batches of 1,000 and offsets rejections to the caller's indexes", async () => {
    const calls: { url: string; body: { costs: unknown[] } }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as { costs: unknown[] };
      calls.push({ url, body });
      return new Response(JSON.stringify({ accepted: body.costs.length - 1, duplicates: 0, rejected: [{ index: 0, code: "cost_units_invalid", detail: "x" }] }), { status: 202 });
    }) as typeof fetch;
    const client = new TallyCosts({ baseUrl: "https://tally.test/", apiKey: "sk_test_x", fetch: fakeFetch });
    const costs = Array.from({ length: 1500 }, (_, n) => ({ identifier: `c${n}`, provider: "openai", operation: "prompt", units: 1 }));
    const result = await client.recordApiCosts(costs);
    expect(calls.map((c) => [c.url, c.body.costs.length])).toEqual([
      ["https://tally.test/api/v1/api_costs/batch", 1000],
      ["https://tally.test/api/v1/api_costs/batch", 500],
    ]);
    expect(result).toEqual({ accepted: 1498, duplicates: 0, rejected: [{ index: 0, code: "cost_units_invalid", detail: "x" }, { index: 1000, code: "cost_units_invalid", detail: "x" }] });
  });
  it("throws Tally's problem", async () => {
    const fakeFetch = (async () => new Response(JSON.stringify({ code: "cost_provider_unknown", param: "provider", detail: "No cost provider" }), { status: 422 })) as unknown as typeof fetch;
    const client = new TallyCosts({ baseUrl: "https://tally.test", apiKey: "k", fetch: fakeFetch });
    await expect(client.recordApiCost({ identifier: "a", provider: "x", operation: "y", units: 1 })).rejects.toMatchObject(new TallyCostError(422, "cost_provider_unknown", "provider", "No cost provider"));
  });
});
