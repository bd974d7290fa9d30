import { GraphQLError } from "graphql";
import { createYoga, type Plugin } from "graphql-yoga";
import { getDb } from "@/db/client";
import { authenticateRequest, newRequestId } from "@/lib/api/handler";
import { addToLogContext } from "@/lib/observability/context";
import { observeRequest, requestIdFor } from "@/lib/observability/http";
import { classify } from "@/lib/api/problem";
import type { GraphqlContext } from "./builder";
import { queryLimits } from "./limits";
import { createLoaders } from "./loaders";
import { graphqlSchema } from "./schema";

/**
 * POST /api/graphql: graphql-yoga over the schema, behind the same API keys, modes and rate limit
 * as /api/v1. Errors carry REST's problem vocabulary in `extensions` (`code`, `param`,
 * `request_id`); an unexpected error is logged and answered as `internal` with the request id.
 */
export const GRAPHQL_PATH = "/api/graphql";

/** The limits, and every error answered in REST's vocabulary with the request's id. */
const problems: Plugin<GraphqlContext> = {
  onValidate({ addValidationRule, context }) {
    addValidationRule(queryLimits);
    return ({ result, setResult }) => {
      if (result.length > 0) setResult(result.map((e) => toGraphqlError(e, (context as Partial<GraphqlContext>).requestId ?? "")));
    };
  },
  onExecute({ args }) {
    const requestId = (args.contextValue as GraphqlContext).requestId;
    return {
      onExecuteDone({ result, setResult }) {
        if (Symbol.asyncIterator in result || !result.errors) return;
        setResult({ ...result, errors: result.errors.map((e) => toGraphqlError(e, requestId)) });
      },
    };
  },
};

/** An error as GraphQL answers it: REST's problem (code, param, detail) in `extensions`. */
export function toGraphqlError(error: unknown, requestId: string): GraphQLError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof GraphQLError) {
    // Parse and validation errors (and the limits): the client's query, answered as it is.
    const code = typeof original.extensions.code === "string" ? original.extensions.code : "invalid_request";
    return new GraphQLError(original.message, { nodes: original.nodes, source: original.source, positions: original.positions, path: original.path, extensions: { ...original.extensions, code, request_id: requestId } });
  }
  const problem = classify(original, requestId);
  const path = error instanceof GraphQLError ? error.path : undefined;
  const nodes = error instanceof GraphQLError ? error.nodes : undefined;
  return new GraphQLError(problem.detail, {
    nodes,
    path,
    extensions: { ...problem.extra, code: problem.code, status: problem.status, ...(problem.param === undefined ? {} : { param: problem.param }), request_id: requestId },
  });
}

type ServerContext = Omit<GraphqlContext, "loaders">;

let yoga: ReturnType<typeof createYoga<ServerContext, GraphqlContext>> | undefined;
function server() {
  yoga ??= createYoga<ServerContext, GraphqlContext>({
    schema: graphqlSchema(),
    graphqlEndpoint: GRAPHQL_PATH,
    // No GraphiQL: it loads from a CDN, and the API is for programs (the schema is introspectable).
    graphiql: false,
    landingPage: false,
    // Queries only, and only by POST: the route has no GET.
    plugins: [problems],
    context: (initial) => ({ ...initial, loaders: createLoaders(initial.db, initial.apiKey.livemode) }),
    // Errors are rendered by `problems` (internal ones as `internal`, logged, never their message).
    maskedErrors: false,
    logging: false,
  });
  return yoga;
}

/** A GraphQL answer that never reached the schema (no key, too many requests): errors only, with the problem's status. */
function refusal(error: unknown, requestId: string): Response {
  const problem = classify(error, requestId);
  const body = { errors: [{ message: problem.detail, extensions: { ...problem.extra, code: problem.code, status: problem.status, request_id: requestId } }] };
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
  if (typeof problem.extra?.retry_after === "number") headers["retry-after"] = String(problem.extra.retry_after);
  return new Response(JSON.stringify(body), { status: problem.status, headers });
}

export async function handleGraphql(req: Request): Promise<Response> {
  const requestId = requestIdFor(req.headers, newRequestId);
  return observeRequest(req.method, GRAPHQL_PATH, requestId, async () => {
    const now = new Date();
    let response: Response;
    try {
      const db = await getDb();
      const apiKey = await authenticateRequest(db, req, now);
      addToLogContext({ api_key_id: apiKey.id });
      response = await server().handleRequest(req, { db, apiKey, actor: { type: "api_key", id: apiKey.id, livemode: apiKey.livemode }, now, requestId });
    } catch (error) {
      response = refusal(error, requestId);
    }
    response.headers.set("request-id", requestId);
    response.headers.set("cache-control", "no-store");
    return response;
  });
}
