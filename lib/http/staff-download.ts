import { getDb, type Db } from "@/db/client";
import { httpStatus } from "@/lib/api/problem";
import type { Permission } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";

const text = (body: string, status: number) => new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

/** The plain 404 of every download: a document that is missing and one that is not the reader's look the same. */
export function notFoundResponse(): Response {
  return text("Not found", 404);
}

/**
 * A console download (an invoice's or a receipt's PDF, an email's attachment): only for staff holding
 * `permission` (denials are logged by requireUser and answered in words); `load` answers the file,
 * or null for a 404.
 */
export async function staffDownload(permission: Permission, load: (db: Db) => Promise<Response | null>): Promise<Response> {
  try {
    await requireUser(permission);
  } catch (error) {
    if (error instanceof AppError) return text(error.userMessage, httpStatus(error));
    throw error;
  }
  return (await load(await getDb())) ?? notFoundResponse();
}
