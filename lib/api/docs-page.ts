import fs from "node:fs";
import path from "node:path";
import { contentSecurityPolicy, policyFor } from "@/lib/http/content-security-policy";

/**
 * The interactive API reference at /api/docs: Redoc's standalone bundle, served from our own origin
 * (/api/docs/redoc.standalone.js streams it from node_modules; no CDN), rendering the same
 * /api/v1/openapi.json the API serves. The page carries the page Content-Security-Policy with the
 * allowances policyFor gives /api/docs (decision 020).
 */
export const REDOC_SCRIPT_PATH = "/api/docs/redoc.standalone.js";
export const OPENAPI_DOCUMENT_PATH = "/api/v1/openapi.json";

// Redoc lays out the whole document in the browser (about 3 s for ours on a slow machine); expanding
// every response up front adds a third to that, so responses open on a click.
const REDOC_OPTIONS = {
  theme: {
    colors: { primary: { main: "#4f46e5" } },
    typography: {
      fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      headings: { fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" },
      // Code keeps Redoc's Courier: in its one-line path boxes (overflow hidden) other monospace fonts clip the "_".
    },
    sidebar: { width: "280px" },
  },
};

export function apiDocsHtml(nonce: string): string {
  const init = `Redoc.init(${JSON.stringify(OPENAPI_DOCUMENT_PATH)}, ${JSON.stringify(REDOC_OPTIONS)}, document.getElementById("redoc"));`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tally API reference</title>
</head>
<body style="margin:0">
<div id="redoc"><p style="font-family:system-ui,sans-serif;padding:1rem">Loading the API reference… The document itself is at <a href="${OPENAPI_DOCUMENT_PATH}">${OPENAPI_DOCUMENT_PATH}</a>.</p></div>
<script nonce="${nonce}" src="${REDOC_SCRIPT_PATH}"></script>
<script nonce="${nonce}">${init}</script>
</body>
</html>
`;
}

/** The page's response: a fresh nonce, the page policy for /api/docs, never cached. */
export function apiDocsResponse(dev = false): Response {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  return new Response(apiDocsHtml(nonce), {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": contentSecurityPolicy(nonce, policyFor("/api/docs"), dev),
    },
  });
}

// The bundle as installed (next.config.ts traces it into the standalone build). Its sidebar footer
// ("API docs by Redocly") shows Redocly's logo from their CDN, which the page policy refuses; it
// gets an empty image instead, so the page asks nothing of another origin.
const BUNDLE = path.join(process.cwd(), "node_modules", "redoc", "bundles", "redoc.standalone.js");
const CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg";
const EMPTY_SVG = "data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%2F%3E";
let bundle: Uint8Array<ArrayBuffer> | undefined;

/** Redoc's standalone script as served at /api/docs/redoc.standalone.js (read once). */
export function redocBundle(): Uint8Array<ArrayBuffer> {
  bundle ??= new TextEncoder().encode(fs.readFileSync(BUNDLE, "utf8").replaceAll(CDN_LOGO, EMPTY_SVG));
  return bundle;
}
