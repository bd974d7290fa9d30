import { cookies } from "next/headers";
import { isValidTimeZone, normalizeTimeZone } from "@/lib/time/timezone";
import { VIEWER_ZONE_COOKIE } from "@/lib/viewer-zone-cookie";

export interface ViewerZone {
  /** The zone console times are shown in: the browser's, or UTC until the browser has said. */
  timeZone: string;
  /** What the cookie holds, as the browser wrote it (compared with the browser's zone to avoid refresh loops). */
  reported: string | null;
}

/** The time zone of the person viewing a console page. */
export async function viewerZone(): Promise<ViewerZone> {
  const reported = (await cookies()).get(VIEWER_ZONE_COOKIE)?.value ?? null;
  const timeZone = reported && isValidTimeZone(reported) ? normalizeTimeZone(reported) : "UTC";
  return { timeZone, reported };
}
