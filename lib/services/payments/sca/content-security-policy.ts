/**
 * The Content-Security-Policy of the payment pages (/pay/…, /checkout/…): scripts only from our own
 * origin (plus Next's inline bootstrap, by nonce) and Stripe.js; frames only Stripe's 3-D Secure
 * and Elements frames. Set by proxy.ts per request, since a nonce cannot be static.
 */
export function confirmPageCsp(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' https://js.stripe.com${dev ? " 'unsafe-eval'" : ""}`,
    "frame-src https://js.stripe.com https://hooks.stripe.com",
    "connect-src 'self' https://api.stripe.com",
    // Inline style attributes (React `style`, Stripe's own frames' hosts) cannot carry a nonce.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https://*.stripe.com",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The payment pages the policy applies to: the confirm page, checkout and adding a card (where the Payment Element runs). S6. */
export function isPaymentPagePath(pathname: string): boolean {
  return pathname === "/pay" || pathname.startsWith("/pay/") || pathname.startsWith("/checkout/") || pathname === "/payment-methods/add";
}
