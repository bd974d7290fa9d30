import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { costGroupings, type CostGrouping } from "@/db/queries/api-costs";
import { monthOf, parseMonth } from "@/lib/api-costs/months";
import { actorOf, requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { httpStatus } from "@/lib/api/problem";
import { exportApiCosts } from "@/lib/services/api-costs/export-costs";
import { csvDownload, plainText } from "@/lib/http/csv-download";

export const dynamic = "force-dynamic";

/** A month of API costs as CSV (?month=YYYY-MM, default this month; ?group_by=day|provider|region|operation|customer, default day). */
export async function GET(request: NextRequest): Promise<Response> {
  try {
    const user = await requireUser("api_costs.read");
    const now = new Date();
    const params = request.nextUrl.searchParams;
    const month = params.get("month") ? parseMonth(params.get("month") ?? undefined, now) : monthOf(now);
    if (!month) return plainText("month must be a month up to this one, as YYYY-MM.", 422);
    const groupBy = (params.get("group_by") ?? "day") as CostGrouping;
    if (!costGroupings.includes(groupBy)) return plainText(`group_by must be one of ${costGroupings.join(", ")}.`, 422);
    const ctx = { db: await getDb(), actor: actorOf(user), now, requestId: request.headers.get("x-request-id") ?? undefined };
    return csvDownload(await exportApiCosts(ctx, { month, groupBy }));
  } catch (error) {
    if (error instanceof AppError) return plainText(error.userMessage, httpStatus(error));
    throw error;
  }
}
