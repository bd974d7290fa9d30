import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { appUrl } from "@/lib/env";
import { encodeNotice, NOTICE_COOKIE, NOTICE_MAX_AGE_SECONDS, noticeForPath, type NoticeTone, type PageNotice } from "./notice-cookie";

/**
 * From a server action: go to `path` and say `text` there, once (see notice-cookie.ts). The path
 * is one of our own pages, without a query.
 */
export async function redirectWithNotice(path: string, text: string, tone: NoticeTone = "success"): Promise<never> {
  (await cookies()).set(NOTICE_COOKIE, encodeNotice({ path, text, tone }), {
    path: "/",
    sameSite: "lax",
    // Read by the page's script to forget it once shown; it says nothing the page does not show.
    httpOnly: false,
    secure: appUrl().startsWith("https:"),
    maxAge: NOTICE_MAX_AGE_SECONDS,
  });
  redirect(path);
}

/** For a page: the notice an action left for it, if any. */
export async function pageNotice(path: string): Promise<PageNotice | null> {
  return noticeForPath((await cookies()).get(NOTICE_COOKIE)?.value, path);
}
