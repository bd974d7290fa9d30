import { apiDocsResponse } from "@/lib/api/docs-page";

export const dynamic = "force-dynamic";

/** The interactive API reference (Redoc, from our own origin) for /api/v1/openapi.json. No auth, like the document. */
export function GET(): Response {
  return apiDocsResponse(process.env.NODE_ENV === "development");
}
