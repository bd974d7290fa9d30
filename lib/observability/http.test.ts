import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { routeTemplate } from "@/lib/api/handler";
import { allOperations } from "@/lib/api/operations";
import { requestIdFor } from "./http";
import { statusClass } from "./metrics";

const ours = () => "req_generated";

describe("request ids", () => {
  it("keep a sane X-Request-Id (or Request-Id) and replace anything else", () => {
    expect(requestIdFor(new Headers({ "x-request-id": "abc-123_4.5:6" }), ours)).toBe("abc-123_4.5:6");
    expect(requestIdFor(new Headers({ "request-id": "from-a-proxy" }), ours)).toBe("from-a-proxy");
    expect(requestIdFor(new Headers(), ours)).toBe("req_generated");
    for (const insane of ["has space", "x".repeat(129), "-leading-dash", 'quote"d', "back\\slash", "<script>", "a/b", ""]) {
      expect(requestIdFor(new Headers({ "x-request-id": insane }), ours), insane).toBe("req_generated");
    }
  });

  it("read node:http's headers (the dedicated listeners') the same way", () => {
    expect(requestIdFor({ "x-request-id": "abc-123" }, ours)).toBe("abc-123");
    expect(requestIdFor({ "request-id": "from-a-proxy" }, ours)).toBe("from-a-proxy");
    expect(requestIdFor({ "x-request-id": "has space", "request-id": "kept" }, ours)).toBe("req_generated");
    expect(requestIdFor({}, ours)).toBe("req_generated");
  });

  it("a kept id is only letters, digits and ._:- (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (given) => {
        let headers: Headers;
        try {
          headers = new Headers({ "x-request-id": given });
        } catch {
          return; // not even a header value
        }
        const id = requestIdFor(headers, ours);
        expect(id === "req_generated" || /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(id)).toBe(true);
      }),
    );
  });
});

describe("route templates", () => {
  it("every operation is counted under its template, never a raw path", () => {
    const templates = allOperations.map(routeTemplate);
    expect(templates).toContain("/api/v1/customers/{id}");
    expect(templates).toContain("/api/v1/usage_events/batch");
    for (const t of templates) {
      expect(t).toMatch(/^\/api\/v1\//);
      // Path segments are literals or {params}: nothing that looks like an object id.
      for (const segment of t.split("/").slice(3)) expect(segment, t).toMatch(/^(\{[a-z_]+\}|[a-z_.]+)$/);
    }
  });

  it("status classes", () => {
    expect([200, 201, 204, 301, 404, 422, 429, 500, 503].map(statusClass)).toEqual(["2xx", "2xx", "2xx", "3xx", "4xx", "4xx", "4xx", "5xx", "5xx"]);
  });
});
