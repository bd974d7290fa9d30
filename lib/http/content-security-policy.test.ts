import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, policyFor } from "./content-security-policy";

describe("the page Content-Security-Policy", () => {
  it.each([
    ["/", { stripe: false, inlineStyles: false, blobWorkers: false }],
    ["/admin/customers", { stripe: false, inlineStyles: false, blobWorkers: false }],
    ["/admin/emails/em_123", { stripe: false, inlineStyles: true, blobWorkers: false }],
    ["/admin/emails", { stripe: false, inlineStyles: false, blobWorkers: false }],
    ["/checkout/starter", { stripe: true, inlineStyles: true, blobWorkers: false }],
    ["/pay/abc.def", { stripe: true, inlineStyles: true, blobWorkers: false }],
    ["/payment-methods/add", { stripe: true, inlineStyles: true, blobWorkers: false }],
    ["/payment-methods", { stripe: false, inlineStyles: false, blobWorkers: false }],
    ["/api/docs", { stripe: false, inlineStyles: true, blobWorkers: true }],
  ])("%s gets %o", (path, allowances) => {
    expect(policyFor(path)).toEqual(allowances);
  });

  it("an ordinary page: nonce for scripts and styles, nothing from elsewhere, no framing", () => {
    const csp = contentSecurityPolicy("abc=", policyFor("/billing"));
    expect(csp).toContain("script-src 'self' 'nonce-abc='; ");
    expect(csp).toContain("style-src 'self' 'nonce-abc='; ");
    expect(csp).toContain("frame-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/stripe|unsafe|worker-src/);
  });

  it("the API reference: inline styles and blob: workers for Redoc, scripts still by nonce", () => {
    const csp = contentSecurityPolicy("abc=", policyFor("/api/docs"));
    expect(csp).toContain("script-src 'self' 'nonce-abc='; ");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toMatch(/stripe|unsafe-eval/);
  });

  it("a payment page adds Stripe's origins only", () => {
    const csp = contentSecurityPolicy("abc=", policyFor("/checkout/pro"));
    expect(csp).toContain("script-src 'self' 'nonce-abc=' https://js.stripe.com; ");
    expect(csp).toContain("frame-src https://js.stripe.com https://hooks.stripe.com");
    expect(csp).not.toContain("unsafe-eval");
  });
});
