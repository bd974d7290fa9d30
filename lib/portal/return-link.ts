/**
 * The "back to <product>" link of a portal session: the SaaS's return_url, kept in a cookie for
 * the browser session and shown in the portal's header.
 */
export const PORTAL_RETURN_COOKIE = "tally_portal_return";

export interface ReturnLink {
  href: string;
  label: string;
}

export function returnLinkFrom(value: string | undefined): ReturnLink | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    return { href: url.toString(), label: `Back to ${url.hostname.replace(/^www\./, "")}` };
  } catch {
    return null;
  }
}
