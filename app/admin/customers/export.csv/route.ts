import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { parseCustomerListParams } from "@/components/admin/customers/list-params";
import { actorOf, requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { exportCustomerList } from "@/lib/services/customers/export-customer-list";
import { httpStatus } from "@/lib/api/problem";
import { csvDownload, plainText } from "@/lib/http/csv-download";

export const dynamic = "force-dynamic";

/** The customer list as CSV, for the filters and sort in the query string (customers.export_pii). */
export async function GET(request: NextRequest): Promise<Response> {
  let user;
  try {
    user = await requireUser("customers.export_pii");
  } catch (error) {
    if (error instanceof AppError) return plainText(error.userMessage, httpStatus(error));
    throw error;
  }
  const { sort, dir, q, status, plan, dunning, country, currency } = parseCustomerListParams(request.nextUrl.searchParams);
  const ctx = { db: await getDb(), actor: actorOf(user), now: new Date(), requestId: request.headers.get("x-request-id") ?? undefined };
  return csvDownload(await exportCustomerList(ctx, { sort, dir, q, status, plan, dunning, country, currency }));
}
