/**
 * The Content-Security-Policy of every page, with a fresh nonce per request (set by proxy.ts; Next
 * reads the nonce from the request's policy and puts it on its own scripts, so every page is
 * rendered per request: app/layout.tsx). Scripts and styles come from our own origin or carry the
 * nonce; nothing may frame Tally.
 *
 * Two kinds of page get more (policyFor): the payment pages (/pay/…, /checkout/…, adding a card)
 * allow Stripe.js, its 3-D Secure and Elements frames and its API, and inline style attributes,
 * which Stripe.js sets on the host page; the console's email preview allows inline styles, which
 * every email is written in (its sandboxed srcdoc frame inherits the page's policy). The API
 * reference (/api/docs, Redoc served from our origin) allows inline styles, which Redoc writes into
 * <style> elements at run time, and workers from blob: URLs, where Redoc runs its search index; its
 * scripts stay our own file and a nonce.
 */
export interface PageAllowances {
  stripe: boolean;
  inlineStyles: boolean;
  blobWorkers: boolean;
}

export function policyFor(pathname: string): PageAllowances {
  const payment = isPaymentPagePath(pathname);
  const docs = isApiDocsPath(pathname);
  return { stripe: payment, inlineStyles: payment || docs || isEmailPreviewPath(pathname), blobWorkers: docs };
}

export function contentSecurityPolicy(nonce: string, allow: PageAllowances, dev = false): string {
  const stripe = (sources: string) => (allow.stripe ? ` ${sources}` : "");
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${stripe("https://js.stripe.com")}${dev ? " 'unsafe-eval'" : ""}`,
    allow.stripe ? "frame-src https://js.stripe.com https://hooks.stripe.com" : "frame-src 'none'",
    `connect-src 'self'${stripe("https://api.stripe.com")}`,
    ...(allow.blobWorkers ? ["worker-src 'self' blob:"] : []),
    // The development server injects its styles inline; a production page has only stylesheets.
    allow.inlineStyles || dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    `img-src 'self' data:${stripe("https://*.stripe.com")}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The interactive API reference, rendered from /api/v1/openapi.json. */
export function isApiDocsPath(pathname: string): boolean {
  return pathname === "/api/docs";
}

/** The console's page showing one sent email. */
export function isEmailPreviewPath(pathname: string): boolean {
  return /^\/admin\/emails\/[^/]+$/.test(pathname);
}

/** The payment pages: the confirm page, checkout and adding a card (where the Payment Element runs). S6. */
export function isPaymentPagePath(pathname: string): boolean {
  return pathname === "/pay" || pathname.startsWith("/pay/") || pathname.startsWith("/checkout/") || pathname === "/payment-methods/add";
}
