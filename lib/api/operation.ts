import { z } from "zod";
import type { RateBudget } from "./rate-limit";

/**
 * One object per REST operation: the route validates with it (lib/api/handler.ts) and the OpenAPI
 * document is generated from it (lib/api/openapi.ts), so the two cannot disagree.
 */
export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

export type ObjectSchema = z.ZodObject<z.core.$ZodShape, z.core.$ZodObjectConfig>;
type Empty = z.ZodObject<Record<never, never>, z.core.$strict>;

export interface OperationDefinition<P extends ObjectSchema, Q extends ObjectSchema, B extends ObjectSchema, R extends z.ZodType> {
  method: HttpMethod;
  /** OpenAPI style, relative to /api/v1: "/customers/{id}". */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Path parameters; every `{name}` in `path` must be a key here. */
  params?: P;
  /** Query parameters (strict: an unknown parameter is a 400). */
  query?: Q;
  /** JSON body for POST/PATCH/DELETE (strict: an unknown field is a 400). */
  body?: B;
  response: R;
  successStatus?: number;
  /** A second success status the handler may answer with (`withStatus`), e.g. 200 for a duplicate of a 201. */
  alternateSuccess?: { status: number; description: string };
  /** The request budget it spends (lib/api/rate-limit.ts): the key's default one, or a budget of its own. */
  rateBudget?: RateBudget;
  /**
   * Trust a key seen valid within the last minute without reading it again (authenticateApiKeyCached):
   * for the hot paths a product calls per request of its own — the entitlement check and usage
   * ingest. Revoking a key clears this process's cache at once (decision 029).
   */
  cachedKey?: boolean;
  /**
   * A file instead of JSON (e.g. "text/csv; charset=utf-8"): the handler returns a `FileBody`
   * and `response` describes the file as a string. Only for GET (no idempotent replay of files).
   */
  fileContentType?: string;
}

export interface Operation<
  P extends ObjectSchema = ObjectSchema,
  Q extends ObjectSchema = ObjectSchema,
  B extends ObjectSchema = ObjectSchema,
  R extends z.ZodType = z.ZodType,
> {
  readonly method: HttpMethod;
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description: string | undefined;
  readonly tags: readonly string[];
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** False when the definition declared no body (the document then shows none). */
  readonly hasBody: boolean;
  readonly hasQuery: boolean;
  readonly response: R;
  readonly successStatus: number;
  readonly alternateSuccess: { status: number; description: string } | undefined;
  readonly rateBudget: RateBudget;
  readonly cachedKey: boolean;
  readonly fileContentType: string | undefined;
}

export type AnyOperation = Operation;

export function defineOperation<
  P extends ObjectSchema = Empty,
  Q extends ObjectSchema = Empty,
  B extends ObjectSchema = Empty,
  R extends z.ZodType = z.ZodType,
>(def: OperationDefinition<P, Q, B, R>): Operation<P, Q, B, R> {
  const params = def.params ?? z.object({}).strict();
  checkPathParams(def.path, params, def.operationId);
  if (def.body && def.method === "GET") throw new Error(`${def.operationId}: GET operations take no body`);
  if (def.fileContentType && def.method !== "GET") throw new Error(`${def.operationId}: only GET operations answer with a file`);
  return {
    method: def.method,
    path: def.path,
    operationId: def.operationId,
    summary: def.summary,
    description: def.description,
    tags: def.tags,
    params: params as P,
    // strict() keeps the output type; it only turns unknown keys into `unrecognized_keys` issues.
    query: (def.query ?? z.object({})).strict() as unknown as Q,
    body: (def.body ?? z.object({})).strict() as unknown as B,
    hasBody: def.body !== undefined,
    hasQuery: def.query !== undefined,
    response: def.response,
    successStatus: def.successStatus ?? 200,
    alternateSuccess: def.alternateSuccess,
    rateBudget: def.rateBudget ?? "default",
    cachedKey: def.cachedKey ?? false,
    fileContentType: def.fileContentType,
  };
}

function checkPathParams(path: string, params: ObjectSchema, operationId: string): void {
  const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? "").sort();
  const declared = Object.keys(params.shape).sort();
  if (inPath.join(",") !== declared.join(",")) {
    throw new Error(`${operationId}: path ${path} has parameters [${inPath.join(", ")}] but params declares [${declared.join(", ")}]`);
  }
}
