import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { reportKinds } from "@/db/queries/reports";
import { actorOf, requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { httpStatus } from "@/lib/api/problem";
import { csvDownload, plainText } from "@/lib/http/csv-download";
import { parseReportRange } from "@/lib/reports/date-range";
import { REPORT_FILE_NAMES, exportReport } from "@/lib/services/reports/export-report";

export const dynamic = "force-dynamic";


/** /admin/exports/{invoices|payments|mrr-movements}.csv?from=YYYY-MM-DD&to=YYYY-MM-DD (reports.export): the report as CSV, audited. */
export async function GET(request: NextRequest, { params }: { params: Promise<{ report: string }> }): Promise<Response> {
  try {
    const user = await requireUser("reports.export");
    const { report } = await params;
    const kind = reportKinds.find((k) => `${REPORT_FILE_NAMES[k]}.csv` === report);
    if (!kind) return plainText("No such report.", 404);
    const now = new Date();
    const range = parseReportRange(request.nextUrl.searchParams.get("from"), request.nextUrl.searchParams.get("to"), now);
    if ("error" in range) return plainText(range.error, 422);
    const ctx = { db: await getDb(), actor: actorOf(user), now, requestId: request.headers.get("x-request-id") ?? undefined };
    return csvDownload(await exportReport(ctx, kind, range));
  } catch (error) {
    if (error instanceof AppError) return plainText(error.userMessage, httpStatus(error));
    throw error;
  }
}
