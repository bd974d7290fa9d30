import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, policyFor } from "./content-security-policy";

describe("the page Content-Security-Policy", () => {
  it.each([
    ["/", { stripe: false, inlineStyles: false }],
    ["/admin/customers", { stripe: false, inlineStyles: false }],
    ["/admin/emails/em_123", { stripe: false, inlineStyles: true }],
    ["/admin/emails", { stripe: false, inlineStyles: false }],
    ["/checkout/starter", { stripe: true, inlineStyles: true }],
    ["/pay/abc.def", { stripe: true, inlineStyles: true }],
    ["/payment-methods/add", { stripe: true, inlineStyles: true }],
    ["/payment-methods", { stripe: false, inlineStyles: false }],
  ])("%s gets %o", (path, allowances) => {
    expect(policyFor(path)).toEqual(allowances);
  });

  it("an ordinary page: nonce for scripts and styles, nothing from elsewhere, no framing", () => {
    const csp = contentSecurityPolicy("abc=", policyFor("/billing"));
    expect(csp).toContain("script-src 'self' 'nonce-abc='; ");
    expect(csp).toContain("style-src 'self' 'nonce-abc='; ");
    expect(csp).toContain("frame-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/stripe|unsafe/);
  });

  it("a payment page adds Stripe's origins only", () => {
    const csp = contentSecurityPolicy("abc=", policyFor("/checkout/pro"));
    expect(csp).toContain("script-src 'self' 'nonce-abc=' https://js.stripe.com; ");
    expect(csp).toContain("frame-src https://js.stripe.com https://hooks.stripe.com");
    expect(csp).not.toContain("unsafe-eval");
  });
});
