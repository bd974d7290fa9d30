import { Inngest } from "inngest";

export { inngestConfigured } from "@/lib/jobs/inngest-port";

/**
 * The Inngest client (SDK v4: keys and base URL live on the client). v4 defaults to cloud mode;
 * INNGEST_DEV=1 selects a local dev server. Nothing here sends by itself: the only producers are
 * the functions' own `step.sendEvent` calls, and the route answers 503 unless inngestConfigured().
 */
export const inngest = new Inngest({
  id: "tally",
  isDev: process.env.INNGEST_DEV === "1",
  eventKey: process.env.INNGEST_EVENT_KEY,
  signingKey: process.env.INNGEST_SIGNING_KEY,
  signingKeyFallback: process.env.INNGEST_SIGNING_KEY_FALLBACK,
  baseUrl: process.env.INNGEST_BASE_URL,
});
