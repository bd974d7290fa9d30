"use client";

import { useEffect, useRef } from "react";
import { Alert } from "@/components/ui";
import { FORGET_NOTICE_COOKIE, type NoticeTone } from "@/lib/portal/notice-cookie";

/**
 * What the customer's last action did, said on the page it led to, in the page's own flow (never
 * over its content). Once on screen the browser forgets it, so it is not said again on a reload or
 * on another page; it goes away with the page. Focus moves to it, so it is read out and keyboard
 * users start from the outcome rather than from the top of the document.
 */
export function PageNotice({ text, tone }: { text: string; tone: NoticeTone }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    document.cookie = FORGET_NOTICE_COOKIE;
    box.current?.focus();
  }, []);
  return (
    <div ref={box} tabIndex={-1} className="rounded-lg">
      <Alert tone={tone}>{text}</Alert>
    </div>
  );
}
