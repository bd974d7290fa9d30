/**
 * A portal notice ("Your plan has changed. We charged $7.26.") travels from the server action that
 * caused it to the one page it redirects to, in a short-lived cookie naming that page. The page
 * shows it in its own content and the browser then forgets it, so it is never shown anywhere else,
 * nor again on a reload. A cookie rather than the URL: a crafted link cannot make the portal say
 * anything, and the address stays clean to copy.
 */
export const NOTICE_COOKIE = "tally_notice";

/** Long enough for the redirect that follows the action; the page forgets it as soon as it is shown. */
export const NOTICE_MAX_AGE_SECONDS = 60;

export type NoticeTone = "success" | "info" | "warning";

export interface PageNotice {
  /** The page's path (no query) the notice belongs to. */
  path: string;
  text: string;
  tone: NoticeTone;
}

const MAX_TEXT = 400;

export function encodeNotice(notice: PageNotice): string {
  return Buffer.from(JSON.stringify([notice.path, notice.text, notice.tone]), "utf8").toString("base64url");
}

/** The notice in a cookie value, or null for anything malformed. */
export function decodeNotice(value: string | undefined | null): PageNotice | null {
  if (!value || value.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 3) return null;
    const [path, text, tone] = parsed as unknown[];
    if (typeof path !== "string" || !path.startsWith("/") || typeof text !== "string" || !text || text.length > MAX_TEXT) return null;
    if (tone !== "success" && tone !== "info" && tone !== "warning") return null;
    return { path, text, tone };
  } catch {
    return null;
  }
}

/** The notice if it belongs to the page at `path`; a notice for another page is not this page's to show. */
export function noticeForPath(value: string | undefined | null, path: string): PageNotice | null {
  const notice = decodeNotice(value);
  return notice && notice.path === path ? notice : null;
}

/** What the browser is told once the notice is on screen (document.cookie), so it is shown once. */
export const FORGET_NOTICE_COOKIE = `${NOTICE_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`;
