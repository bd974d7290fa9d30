import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";

export const dynamic = "force-dynamic";

// Redoc's self-contained browser bundle, from the installed package (next.config.ts traces it into
// the standalone build), so the API reference loads nothing from a CDN.
const BUNDLE = path.join(process.cwd(), "node_modules", "redoc", "bundles", "redoc.standalone.js");

export function GET(): Response {
  const stream = Readable.toWeb(fs.createReadStream(BUNDLE)) as ReadableStream<Uint8Array>;
  return new Response(stream, {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=3600", "content-length": String(fs.statSync(BUNDLE).size) },
  });
}
