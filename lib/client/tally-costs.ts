/**
 * A small typed client for recording API costs in Tally from the SaaS that makes the calls
 * (POST /api/v1/api_costs and /api_costs/batch). No dependencies: it takes the global fetch or one
 * you pass. Identifiers make retries safe: send the same identifier again and Tally stores it once.
 *
 *   const costs = new TallyCosts({ baseUrl: "https://billing.example.com", apiKey: process.env.TALLY_KEY! });
 *   const reply = await openai.chat.completions.create({ model: "gpt-4o-mini", messages });
 *   await costs.recordApiCosts(fromOpenAIUsage(reply.usage, { model: reply.model, identifier: reply.id, customer: { externalId: user.id } }));
 */

export interface ApiCostInput {
  /** Your unique id for the cost (a retry with the same one is ignored). */
  identifier: string;
  /** The provider's code in Tally ("openai", "geoscape" …). */
  provider: string;
  operation: string;
  region?: string;
  /** A non-negative decimal, in the unit of the provider's rate. */
  units: number | string;
  /** The cost in exact minor units, when you know it; otherwise Tally prices it at the rate in force. */
  costDecimal?: string;
  currency?: string;
  /** Attribute the cost to a customer, by Tally id or by your id for them. */
  customer?: { id: string } | { externalId: string };
  timestamp?: Date | string;
  properties?: Record<string, string | number>;
}

export interface ApiCost {
  id: string;
  object: "api_cost";
  identifier: string;
  provider: string;
  operation: string;
  region: string | null;
  units: string;
  cost_decimal: string;
  currency: string;
  customer: string | null;
  timestamp: string;
  properties: Record<string, string | number>;
  rate: string | null;
  late: boolean;
  livemode: boolean;
  created: string;
}

export interface ApiCostBatchResult {
  accepted: number;
  duplicates: number;
  /** `index` is the position in the array you passed (across chunks). */
  rejected: { index: number; code: string; param?: string; detail: string }[];
}

/** A refusal from Tally (problem+json). */
export class TallyCostError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly param: string | undefined,
    detail: string,
  ) {
    super(detail);
    this.name = "TallyCostError";
  }
}

export interface TallyCostsOptions {
  /** Where Tally runs, e.g. "https://billing.example.com" (the client adds /api/v1). */
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
}

/** Costs per batch request (Tally's limit). */
export const BATCH_LIMIT = 1000;

function toBody(c: ApiCostInput): Record<string, unknown> {
  return {
    identifier: c.identifier,
    provider: c.provider,
    operation: c.operation,
    region: c.region,
    units: c.units,
    cost_decimal: c.costDecimal,
    currency: c.currency,
    customer: c.customer && "id" in c.customer ? c.customer.id : undefined,
    customer_external_id: c.customer && "externalId" in c.customer ? c.customer.externalId : undefined,
    timestamp: c.timestamp instanceof Date ? c.timestamp.toISOString() : c.timestamp,
    properties: c.properties,
  };
}

export class TallyCosts {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: TallyCostsOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.fetch = options.fetch ?? fetch;
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const res = await this.fetch(`${this.baseUrl}/api/v1${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.options.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new TallyCostError(res.status, String(json.code ?? "error"), json.param as string | undefined, String(json.detail ?? res.statusText));
    return json as T;
  }

  /** Record one cost; answers the stored cost (the earlier one for a repeated identifier). */
  recordApiCost(cost: ApiCostInput): Promise<ApiCost> {
    return this.post<ApiCost>("/api_costs", toBody(cost));
  }

  /** Record any number of costs, in batches of up to 1,000; each is judged on its own. */
  async recordApiCosts(costs: readonly ApiCostInput[]): Promise<ApiCostBatchResult> {
    const total: ApiCostBatchResult = { accepted: 0, duplicates: 0, rejected: [] };
    for (let start = 0; start < costs.length; start += BATCH_LIMIT) {
      const chunk = costs.slice(start, start + BATCH_LIMIT);
      const res = await this.post<ApiCostBatchResult>("/api_costs/batch", { costs: chunk.map(toBody) });
      total.accepted += res.accepted;
      total.duplicates += res.duplicates;
      total.rejected.push(...res.rejected.map((r) => ({ ...r, index: r.index + start })));
    }
    return total;
  }
}

/** The `usage` object of an OpenAI-style chat/completions response. */
export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
}

export interface OpenAIUsageOptions {
  /** The model that answered; recorded in the costs' properties. */
  model: string;
  /** An id unique to the response (its `id`): the two costs get `<identifier>:prompt` and `<identifier>:completion`. */
  identifier: string;
  customer?: ApiCostInput["customer"];
  /** Default "openai". */
  provider?: string;
  /** "token" (default) or "1k_tokens": must match the unit of the provider's rates. */
  unit?: "token" | "1k_tokens";
  /** The operation each kind is recorded under; default the kind itself ("prompt", "completion"). */
  operation?: (kind: "prompt" | "completion", model: string) => string;
  timestamp?: Date | string;
  region?: string;
}

/** Tokens in thousands, exactly (as a decimal string: 1234 → "1.234"). */
function thousands(tokens: number): string {
  const s = String(tokens).padStart(4, "0");
  const fraction = s.slice(-3).replace(/0+$/, "");
  return `${String(Number(s.slice(0, -3)))}${fraction ? `.${fraction}` : ""}`;
}

/**
 * The two costs of an OpenAI-style response: prompt and completion tokens, priced by Tally at the
 * provider's rates in force (operations `prompt` and `completion`). A kind with no tokens is left out.
 */
export function fromOpenAIUsage(usage: OpenAIUsage, options: OpenAIUsageOptions): ApiCostInput[] {
  const unit = options.unit ?? "token";
  const kinds = [
    ["prompt", usage.prompt_tokens],
    ["completion", usage.completion_tokens],
  ] as const;
  return kinds
    .filter(([, tokens]) => Number.isSafeInteger(tokens) && tokens > 0)
    .map(([kind, tokens]) => ({
      identifier: `${options.identifier}:${kind}`,
      provider: options.provider ?? "openai",
      operation: options.operation ? options.operation(kind, options.model) : kind,
      region: options.region,
      units: unit === "token" ? tokens : thousands(tokens),
      customer: options.customer,
      timestamp: options.timestamp,
      properties: { model: options.model, unit },
    }));
}
