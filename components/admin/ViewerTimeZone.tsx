"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { VIEWER_ZONE_COOKIE } from "@/lib/viewer-zone-cookie";

/** Tells the server the browser's time zone once, so console times read in the viewer's own zone. */
export function ViewerTimeZone({ reported }: { reported: string | null }) {
  const router = useRouter();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || zone === reported) return;
    document.cookie = `${VIEWER_ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
    router.refresh();
  }, [reported, router]);
  return null;
}
