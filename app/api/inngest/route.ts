import type { NextRequest } from "next/server";
import { serve } from "inngest/next";
import { inngest, inngestConfigured } from "@/inngest/client";
import { functions } from "@/inngest/functions";
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from "@/lib/api/problem";

export const dynamic = "force-dynamic";

const handler = serve({ client: inngest, functions });

/** Without keys (or INNGEST_DEV=1) v4's cloud mode would answer 500; say what is missing instead. */
function notConfigured(): Response {
  const body = {
    type: `${PROBLEM_TYPE_BASE}unavailable`,
    title: "Service unavailable",
    status: 503,
    code: "unavailable",
    detail: "Inngest is not configured: set INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY (or INNGEST_DEV=1). The local job runner runs the due work.",
  };
  return new Response(JSON.stringify(body), { status: 503, headers: { "content-type": PROBLEM_CONTENT_TYPE } });
}

type Handler = (req: NextRequest, ctx: unknown) => Promise<Response>;
const guard = (h: Handler) => (req: NextRequest, ctx: unknown) => (inngestConfigured() ? h(req, ctx) : Promise.resolve(notConfigured()));

export const GET = guard(handler.GET);
export const POST = guard(handler.POST);
export const PUT = guard(handler.PUT);
