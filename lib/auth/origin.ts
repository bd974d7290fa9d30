import { AppError } from "@/lib/errors";

/**
 * Cookie-authenticated mutations must come from our own pages: the Origin header must be present
 * and name the host the request was sent to. (Next checks server actions too, but lets a missing
 * Origin through; route handlers get no check at all.)
 */
export function assertSameOrigin(headers: Headers): void {
  const origin = headers.get("origin");
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  if (!origin || !host) throw new AppError("origin_rejected", { userMessage: "This request must come from Tally's own pages." });
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError("origin_rejected", { userMessage: "This request must come from Tally's own pages." });
  }
  if (originHost !== host) throw new AppError("origin_rejected", { userMessage: "This request must come from Tally's own pages." });
}
