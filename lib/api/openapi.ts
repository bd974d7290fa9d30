import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject } from "zod-openapi";
import { IDEMPOTENCY_KEY_MAX_LENGTH } from "./idempotency";
import type { AnyOperation } from "./operation";
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from "./problem";

/** The document served at /api/v1/openapi.json, generated from the same operations the routes run. */
export const ProblemSchema = z
  .object({
    type: z.string().meta({ example: `${PROBLEM_TYPE_BASE}validation_failed` }),
    title: z.string(),
    status: z.number().int(),
    code: z.string().meta({ description: "Stable, machine-readable error code.", example: "validation_failed" }),
    param: z.string().optional().meta({ description: "The request field the error is about, as a dotted path." }),
    detail: z.string(),
    request_id: z.string().meta({ example: "req_8cW2xQ0aLr4vTn6yB1mZs3Kd" }),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details." });

const problem = (description: string, id: string, extra: Partial<ZodOpenApiResponseObject> = {}): ZodOpenApiResponseObject => ({
  id,
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
  ...extra,
});

const ERROR_RESPONSES = {
  "400": problem("Malformed request: invalid JSON, an unknown field or an invalid Idempotency-Key.", "BadRequest"),
  "401": problem("Missing, invalid or revoked API key.", "Unauthenticated"),
  "404": problem("No such object (unknown, or not visible to this key).", "NotFound"),
  "409": problem("Conflict, e.g. a request with the same Idempotency-Key is in flight.", "Conflict"),
  "422": problem("A parameter failed validation; `param` names it.", "UnprocessableEntity"),
  "429": problem("Rate limit exceeded.", "TooManyRequests", {
    headers: z.object({
      "Retry-After": z.string().meta({ description: "Seconds to wait before retrying.", example: "1" }),
    }),
  }),
} as const;

const TOO_LARGE = problem("The request body is larger than 1 MB.", "PayloadTooLarge");

const idempotencyHeader = z.object({
  "Idempotency-Key": z
    .string()
    .min(1)
    .max(IDEMPOTENCY_KEY_MAX_LENGTH)
    .optional()
    .meta({ description: "Makes the request safe to retry: the first response is stored for 24 hours and replayed." }),
});

function toOperationObject(op: AnyOperation): ZodOpenApiOperationObject {
  const mutating = op.method !== "GET";
  const requestParams: NonNullable<ZodOpenApiOperationObject["requestParams"]> = {};
  if (Object.keys(op.params.shape).length > 0) requestParams.path = op.params;
  if (op.hasQuery) requestParams.query = op.query;
  if (mutating) requestParams.header = idempotencyHeader;
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [...op.tags],
    requestParams,
    ...(op.hasBody ? { requestBody: { required: true, content: { "application/json": { schema: op.body } } } } : {}),
    responses: {
      [String(op.successStatus)]: {
        description: "Success.",
        content: { [op.fileContentType ?? "application/json"]: { schema: op.response } },
      },
      ...(op.alternateSuccess
        ? { [String(op.alternateSuccess.status)]: { description: op.alternateSuccess.description, content: { "application/json": { schema: op.response } } } }
        : {}),
      ...ERROR_RESPONSES,
      ...(mutating ? { "413": TOO_LARGE } : {}),
    },
  };
}

export function buildOpenApiDocument(operations: readonly AnyOperation[], info: { version?: string } = {}) {
  const paths: ZodOpenApiPathsObject = {};
  const seen = new Set<string>();
  for (const op of operations) {
    if (seen.has(op.operationId)) throw new Error(`duplicate operationId ${op.operationId}`);
    seen.add(op.operationId);
    const item = (paths[op.path] ??= {});
    const method = op.method.toLowerCase() as "get" | "post" | "patch" | "delete";
    if (item[method]) throw new Error(`two operations for ${op.method} ${op.path}`);
    item[method] = toOperationObject(op);
  }
  const tags = [...new Set(operations.flatMap((op) => op.tags))].sort().map((name) => ({ name }));
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Tally API",
      version: info.version ?? "1.0.0",
      description:
        "Subscription billing. Money is integer minor units with a lowercase ISO 4217 currency; errors are application/problem+json.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearerAuth: [] }],
    tags,
    paths,
    components: {
      schemas: { Problem: ProblemSchema },
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "An API key: `tk_test_…` (test mode) or `tk_live_…` (live mode).",
        },
      },
    },
  });
}
