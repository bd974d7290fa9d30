import type { z } from "zod";
import { getDb, type Db } from "@/db/client";
import { AppError, notFound } from "@/lib/errors";
import { randomToken } from "@/lib/ids";
import { addToLogContext } from "@/lib/observability/context";
import { observeRequest, requestIdFor } from "@/lib/observability/http";
import { clientAddress } from "@/lib/http/client-address";
import { parseJsonBody, webBodyText } from "./body";
import { parseIdempotencyKey, requestHash, withIdempotency, type StoredResponse } from "./idempotency";
import { authenticateApiKey, authenticateApiKeyCached, type AuthenticatedApiKey } from "./keys";
import type { AnyOperation } from "./operation";
import { PROBLEM_CONTENT_TYPE, renderProblem } from "./problem";
import { countFailedAuth, enforceRateLimit, refuseKeyGuessing, type RateBudget } from "./rate-limit";

/**
 * The one wrapper every /api/v1 route goes through:
 * request id (the caller's X-Request-Id when sane) → API key → rate limit → body (≤ 1 MB, JSON) → zod (params, query, body) →
 * idempotency (POST/PATCH/DELETE) → handler → response schema → JSON; errors → problem+json.
 */
export type ApiKeyActor = { type: "api_key"; id: string; livemode: boolean };

/**
 * What the pipeline reads of a request. A web Request gives it (the Next routes); the usage
 * listener builds it straight from node:http, without a web Request's streams.
 */
export interface ApiRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  /** The body as text: payload_too_large past 1 MB, invalid_json when not UTF-8. */
  bodyText(): Promise<string>;
}

/** What the pipeline answers: a status, its headers, and a body (null: none). */
export interface ApiAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

export interface ApiContext<O extends AnyOperation> {
  req: ApiRequest;
  db: Db;
  actor: ApiKeyActor;
  apiKey: AuthenticatedApiKey;
  params: z.output<O["params"]>;
  query: z.output<O["query"]>;
  body: z.output<O["body"]>;
  requestId: string;
  now: Date;
}

/** A result answered with the operation's `alternateSuccess` status instead of its `successStatus`. */
export class WithStatus<T> {
  constructor(
    readonly status: number,
    readonly body: T,
  ) {}
}

/** A file answered as is (operations with `fileContentType`): its text and the name it downloads as. */
export class FileBody {
  constructor(
    readonly body: string,
    readonly filename: string,
  ) {}
}

type HandlerResult<O extends AnyOperation> = FileBody | z.input<O["response"]> | WithStatus<z.input<O["response"]>>;

/** Returns a plain JSON-safe value matching `op.response` (extra keys are dropped by the schema). */
export type ApiHandler<O extends AnyOperation> = (ctx: ApiContext<O>) => Promise<HandlerResult<O>> | HandlerResult<O>;

export interface RouteContext {
  params: Promise<Record<string, string>>;
}

export type RouteHandler = (req: Request, ctx?: RouteContext) => Promise<Response>;

/** A route of the pipeline: a web route handler (what Next serves), and its answer to a request read elsewhere. */
export type ApiRoute = RouteHandler & { answer(req: ApiRequest, ctx?: RouteContext): Promise<ApiAnswer> };

const MUTATING = new Set(["POST", "PATCH", "DELETE"]);
const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

export function newRequestId(): string {
  return `req_${randomToken(24)}`;
}

/** The route a request is counted and logged under: the operation's template, never the raw path. */
export function routeTemplate(op: Pick<AnyOperation, "path">): string {
  return `/api/v1${op.path}`;
}

export function apiRoute<O extends AnyOperation>(op: O, handler: ApiHandler<O>): ApiRoute {
  const route = routeTemplate(op);
  const answer = async (req: ApiRequest, ctx?: RouteContext): Promise<ApiAnswer> => {
    const requestId = requestIdFor(req.headers, newRequestId);
    return observeRequest(req.method, route, requestId, async () => {
      let answered: ApiAnswer;
      try {
        answered = await run(op, handler, req, ctx, requestId);
      } catch (error) {
        answered = renderProblem(error, requestId);
      }
      answered.headers["request-id"] = requestId;
      answered.headers["cache-control"] = "no-store";
      return answered;
    });
  };
  const web = async (req: Request, ctx?: RouteContext) => webResponse(await answer(webRequest(req), ctx));
  return Object.assign(web, { answer });
}

/** A web Request as the pipeline reads it. */
function webRequest(req: Request): ApiRequest {
  return { method: req.method, url: req.url, headers: req.headers, bodyText: () => webBodyText(req) };
}

/** An answer as a web Response. */
function webResponse(answer: ApiAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

async function run<O extends AnyOperation>(
  op: O,
  handler: ApiHandler<O>,
  req: ApiRequest,
  ctx: RouteContext | undefined,
  requestId: string,
): Promise<ApiAnswer> {
  const now = new Date();
  const db = await getDb();
  const apiKey = await requestKey(db, req, now, op);
  addToLogContext({ api_key_id: apiKey.id });
  // The key's budget is spent (in PostgreSQL, shared by every instance) while the request is read
  // and validated; it is settled before anything runs, and an over-budget request answers 429
  // whatever else is wrong with it.
  const spent = enforceRateLimit(apiKey.id, op.rateBudget).then(
    () => null,
    (refusal: unknown) => ({ refusal }),
  );
  const mutating = MUTATING.has(req.method.toUpperCase());
  const url = new URL(req.url);
  let input;
  try {
    const idempotencyKey = mutating ? parseIdempotencyKey(req.headers.get("idempotency-key")) : undefined;
    const rawBody = mutating ? parseJsonBody(await req.bodyText()) : {};
    const params = await parsePathParams(op, ctx);
    const query = op.query.parse(searchParamsObject(url.searchParams)) as z.output<O["query"]>;
    const body = op.body.parse(rawBody) as z.output<O["body"]>;
    input = { idempotencyKey, rawBody, params, query, body };
  } catch (error) {
    throw (await spent)?.refusal ?? error;
  }
  const overBudget = await spent;
  if (overBudget) throw overBudget.refusal;
  const { idempotencyKey, rawBody, params, query, body } = input;

  const context = {
    req,
    db,
    actor: { type: "api_key", id: apiKey.id, livemode: apiKey.livemode },
    apiKey,
    params,
    query,
    body,
    requestId,
    now,
  } as const;
  if (op.fileContentType) return fileResponse(op, await handler(context));

  const execute = async (): Promise<StoredResponse> => {
    try {
      const result = await handler(context);
      if (result instanceof FileBody) throw new Error(`${op.operationId}: a file from an operation without fileContentType`);
      if (!(result instanceof WithStatus)) return { status: op.successStatus, body: serialise(op, result) };
      if (result.status !== op.alternateSuccess?.status) throw new Error(`${op.operationId}: status ${result.status} is not one the operation declares`);
      return { status: result.status, body: serialise(op, result.body) };
    } catch (error) {
      const problem = renderProblem(namingTheMissing(error, [params, body, query]), requestId);
      return { status: problem.status, body: problem.body };
    }
  };

  if (idempotencyKey === undefined) return toResponse(await execute(), false);
  const path = url.pathname + url.search;
  const scope = { apiKeyId: apiKey.id, key: idempotencyKey, method: req.method.toUpperCase(), path, requestHash: requestHash(req.method, path, rawBody) };
  const result = await withIdempotency(db, scope, now, execute);
  return toResponse(result, result.replayed);
}

/**
 * The API key of a request, spending one request of its budget: refused while the client address
 * is guessing keys (a failure counts towards that), 401 without a valid key, 429 past the key's
 * budget. Every API — REST here, GraphQL (app/api/graphql) — authenticates through it (REST's own
 * pipeline spends the budget while it reads the request: `run`).
 */
export async function authenticateRequest(db: Db, req: Pick<ApiRequest, "headers">, now: Date, options: { cachedKey?: boolean; rateBudget?: RateBudget } = {}): Promise<AuthenticatedApiKey> {
  const apiKey = await requestKey(db, req, now, options);
  await enforceRateLimit(apiKey.id, options.rateBudget);
  return apiKey;
}

/** The request's API key, without spending its budget: refused while the address is guessing keys; a failure counts towards that. */
async function requestKey(db: Db, req: Pick<ApiRequest, "headers">, now: Date, options: { cachedKey?: boolean }): Promise<AuthenticatedApiKey> {
  const ip = clientAddress(req.headers);
  await refuseKeyGuessing(ip);
  const authenticate = options.cachedKey ? authenticateApiKeyCached : authenticateApiKey;
  return authenticate(db, req.headers.get("authorization"), now).catch(async (error: unknown) => {
    await countFailedAuth(ip);
    throw error;
  });
}

/** A malformed id in the path is an unknown id: 404, the same answer as for a missing object, naming its kind and the id. */
async function parsePathParams<O extends AnyOperation>(op: O, ctx: RouteContext | undefined): Promise<z.output<O["params"]>> {
  const raw: Record<string, string> = (ctx?.params ? await ctx.params : undefined) ?? {};
  const parsed = op.params.safeParse(raw);
  if (parsed.success) return parsed.data as z.output<O["params"]>;
  const param = parsed.error.issues[0]?.path.join(".") ?? "id";
  const collection = new RegExp(`/([a-z_]+)/\\{${param}\\}`).exec(op.path)?.[1];
  const entity = collection ? collection.replace(/s$/, "").replaceAll("_", " ") : "object";
  throw notFound(entity, param, raw[param]);
}

/**
 * A not_found from an operation names the object's kind but rarely its id; the request holds it
 * (in the path, the body or the query, under the error's `param`), so the answer says both:
 * "No such customer: 'cus_123'." An error that already names one carries no `entity` and is left as it is.
 */
function namingTheMissing(error: unknown, sources: readonly unknown[]): unknown {
  if (!(error instanceof AppError) || error.code !== "not_found" || !error.entity || !error.param) return error;
  const path = error.param.split(".");
  for (const source of sources) {
    const value = path.reduce<unknown>((at, key) => (at !== null && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined), source);
    if (typeof value === "string" && value.length > 0 && value.length <= 255) return notFound(error.entity, error.param, value);
  }
  return error;
}

/** `?a=1&a=2` becomes `{ a: ["1", "2"] }`; a single value stays a string. */
function searchParamsObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? (all[0] ?? "") : all;
  }
  return out;
}

function serialise(op: AnyOperation, result: unknown): string {
  const parsed = op.response.safeParse(result);
  if (!parsed.success) {
    // A bug on our side, not the client's: report it as a 500 (logged), never as a 422.
    throw new Error(`${op.operationId}: the handler's result does not match the response schema: ${parsed.error.message}`);
  }
  return JSON.stringify(parsed.data) ?? "";
}

/** A file operation's answer: the text with its content type, downloaded under its name. */
function fileResponse(op: AnyOperation, result: unknown): ApiAnswer {
  if (!(result instanceof FileBody)) throw new Error(`${op.operationId}: the handler must return a FileBody`);
  const headers = { "content-type": op.fileContentType ?? "text/plain", "content-disposition": `attachment; filename="${result.filename}"` };
  return { status: op.successStatus, headers, body: result.body };
}

function toResponse(stored: StoredResponse, replayed: boolean): ApiAnswer {
  const headers: Record<string, string> = {};
  if (replayed) headers["idempotent-replayed"] = "true";
  if (stored.status === 204 || stored.body === "") return { status: stored.status, headers, body: null };
  headers["content-type"] = stored.status >= 400 ? PROBLEM_CONTENT_TYPE : JSON_CONTENT_TYPE;
  return { status: stored.status, headers, body: stored.body };
}
