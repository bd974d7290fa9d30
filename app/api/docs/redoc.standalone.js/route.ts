import { redocBundle } from "@/lib/api/docs-page";

export const dynamic = "force-dynamic";

/** Redoc's self-contained browser bundle, from the installed package: the API reference loads nothing from a CDN. */
export function GET(): Response {
  const body = redocBundle();
  return new Response(body, {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=3600", "content-length": String(body.byteLength) },
  });
}
