import { describe, expect, it } from "vitest";
import { apiDocsHtml, apiDocsResponse, redocBundle } from "./docs-page";

describe("the API reference page", () => {
  it("loads Redoc from our origin with the nonce and points it at the OpenAPI document", () => {
    const html = apiDocsHtml("abc=");
    expect(html).toContain('<script nonce="abc=" src="/api/docs/redoc.standalone.js"></script>');
    expect(html).toContain('Redoc.init("/api/v1/openapi.json"');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("is served with the /api/docs page policy and a fresh nonce each time", () => {
    const a = apiDocsResponse().headers.get("content-security-policy")!;
    const b = apiDocsResponse().headers.get("content-security-policy")!;
    expect(a).toContain("worker-src 'self' blob:");
    expect(a).not.toBe(b);
  });

  it("serves Redoc's bundle with nothing to fetch from Redocly's CDN", () => {
    const js = new TextDecoder().decode(redocBundle());
    expect(js).toContain("Redoc");
    expect(js).not.toContain("cdn.redoc.ly");
  });
});
