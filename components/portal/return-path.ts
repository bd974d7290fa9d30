/**
 * `?return=` on portal pages: only a path on this site (one leading slash, no scheme, no host,
 * no backslash), so a crafted link cannot send the customer elsewhere after adding a card.
 */
export function safeReturnPath(value: string | string[] | undefined | null, fallback = "/payment-methods"): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || raw.length > 300) return fallback;
  if (!raw.startsWith("/") || raw.startsWith("//") || /[\\\s]/.test(raw) || /^\/[^/?#]*:/.test(raw)) return fallback;
  try {
    const url = new URL(raw, "http://portal.invalid");
    if (url.origin !== "http://portal.invalid") return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
