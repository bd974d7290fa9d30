import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { parseRange } from "@/lib/analytics/range";
import { actorOf, requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { httpStatus } from "@/lib/api/problem";
import { analyticsCharts, exportAnalytics, type AnalyticsChart } from "@/lib/services/analytics/export-analytics";
import { csvDownload, plainText } from "@/lib/http/csv-download";

export const dynamic = "force-dynamic";

/** One chart of the Analytics page as CSV: ?chart=mrr|trends|kpis|waterfall with the page's range (?range= or ?from=&to=), ?currency= and, for the waterfall, ?month=YYYY-MM. */
export async function GET(request: NextRequest): Promise<Response> {
  try {
    const user = await requireUser("analytics.read");
    const now = new Date();
    const params = request.nextUrl.searchParams;
    const chart = (params.get("chart") ?? "mrr") as AnalyticsChart;
    if (!analyticsCharts.includes(chart)) return plainText(`chart must be one of ${analyticsCharts.join(", ")}.`, 422);
    const range = parseRange({ range: params.get("range") ?? undefined, from: params.get("from") ?? undefined, to: params.get("to") ?? undefined }, now);
    if ("error" in range) return plainText(range.error, 422);
    const month = params.get("month") ?? undefined;
    if (month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return plainText("month must be YYYY-MM.", 422);
    const ctx = { db: await getDb(), actor: actorOf(user), now, requestId: request.headers.get("x-request-id") ?? undefined };
    const { filename, rows, body } = await exportAnalytics(ctx, { chart, range, currency: params.get("currency") ?? undefined, month });
    return csvDownload({ filename, rows, body });
  } catch (error) {
    if (error instanceof AppError) return plainText(error.userMessage, httpStatus(error));
    throw error;
  }
}
