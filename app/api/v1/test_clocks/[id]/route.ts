import { eq } from "drizzle-orm";
import { testClocks } from "@/db/schema";
import { apiRoute } from "@/lib/api/handler";
import { retrieveTestClockOp, toTestClock } from "@/lib/api/operations/test-clocks";
import { notFound } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrieveTestClockOp, async ({ db, params }) => {
  const [row] = await db.select().from(testClocks).where(eq(testClocks.id, params.id));
  if (!row) throw notFound("test clock", "id");
  return toTestClock(row);
});
