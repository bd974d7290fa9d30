import { eq } from "drizzle-orm";
import { disputes } from "@/db/schema";
import { apiRoute } from "@/lib/api/handler";
import { retrieveDisputeOp } from "@/lib/api/operations/disputes";
import { toDispute } from "@/lib/api/resources/dispute";
import { notFound } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrieveDisputeOp, async ({ db, apiKey, params }) => {
  const [row] = await db.select().from(disputes).where(eq(disputes.id, params.id));
  if (!row || row.livemode !== apiKey.livemode) throw notFound("dispute", "id");
  return toDispute(row);
});
