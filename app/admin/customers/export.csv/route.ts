import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { parseCustomerListParams } from "@/components/admin/customers/list-params";
import { actorOf, requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { exportCustomerList } from "@/lib/services/customers/export-customer-list";
import { httpStatus } from "@/lib/api/problem";
import { csvFileResponse } from "@/lib/http/csv-file";

export const dynamic = "force-dynamic";

/** The customer list as CSV, for the filters and sort in the query string (customers.export_pii). */
export async function GET(request: NextRequest): Promise<Response> {
  let user;
  try {
    user = await requireUser("customers.export_pii");
  } catch (error) {
    if (error instanceof AppError) return new Response(`${error.userMessage}\n`, { status: httpStatus(error), headers: { "content-type": "text/plain; charset=utf-8" } });
    throw error;
  }
  const { sort, dir, q, status, plan, dunning, country, currency } = parseCustomerListParams(request.nextUrl.searchParams);
  const ctx = { db: await getDb(), actor: actorOf(user), now: new Date(), requestId: request.headers.get("x-request-id") ?? undefined };
  return csvFileResponse(await exportCustomerList(ctx, { sort, dir, q, status, plan, dunning, country, currency }));
}
