import { apiRoute } from "@/lib/api/handler";
import { retrieveMeterOp } from "@/lib/api/operations/usage";
import { toMeter } from "@/lib/api/resources/meter";
import { meterForKey } from "@/lib/api/scope";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrieveMeterOp, async ({ db, apiKey, params }) => toMeter(await meterForKey(db, params.id, apiKey.livemode)));
