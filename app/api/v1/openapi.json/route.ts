import { buildOpenApiDocument } from "@/lib/api/openapi";
import { allOperations } from "@/lib/api/operations";

export const dynamic = "force-dynamic";

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

/** The OpenAPI 3.1 document, generated from the operations the routes validate with. No auth. */
export function GET(): Response {
  document ??= buildOpenApiDocument(allOperations);
  return Response.json(document, { headers: { "cache-control": "public, max-age=60" } });
}
