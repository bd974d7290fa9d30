import { postUsageEventBatch } from "@/lib/api/usage-event-routes";

export const dynamic = "force-dynamic";

export const POST = postUsageEventBatch;
