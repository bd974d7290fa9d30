import { postUsageEvent } from "@/lib/api/usage-event-routes";

export const dynamic = "force-dynamic";

export const POST = postUsageEvent;
