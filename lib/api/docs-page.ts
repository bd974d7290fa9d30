import { contentSecurityPolicy, policyFor } from "@/lib/http/content-security-policy";

/**
 * The interactive API reference at /api/docs: Redoc's standalone bundle, served from our own origin
 * (/api/docs/redoc.standalone.js streams it from node_modules; no CDN), rendering the same
 * /api/v1/openapi.json the API serves. The page carries the page Content-Security-Policy with the
 * allowances policyFor gives /api/docs (decision 020).
 */
export const REDOC_SCRIPT_PATH = "/api/docs/redoc.standalone.js";
export const OPENAPI_DOCUMENT_PATH = "/api/v1/openapi.json";

const REDOC_OPTIONS = {
  expandResponses: "200",
  hideHostname: false,
  jsonSampleExpandLevel: 3,
  theme: {
    colors: { primary: { main: "#4f46e5" } },
    typography: {
      fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      headings: { fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" },
      code: { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" },
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
