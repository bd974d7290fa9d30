"use client";

import { useEffect, useRef, useState } from "react";

/**
 * The measured content width of an element, kept current with a ResizeObserver (0 until measured).
 * Charts draw at it in the browser: the Content-Security-Policy refuses the style attributes that
 * recharts' ResponsiveContainer renders on the server.
 */
export function useElementWidth<E extends HTMLElement>() {
  const ref = useRef<E>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}
