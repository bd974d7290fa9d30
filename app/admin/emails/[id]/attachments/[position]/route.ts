import { getDb } from "@/db/client";
import { findEmailAttachment } from "@/db/queries/receipts";
import { httpStatus } from "@/lib/api/problem";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** A file sent with an email (a receipt's PDF), as it was sent, for staff with emails.read. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string; position: string }> }): Promise<Response> {
  const { id, position } = await params;
  try {
    await requireUser("emails.read");
  } catch (error) {
    if (error instanceof AppError) return new Response(error.userMessage, { status: httpStatus(error), headers: { "content-type": "text/plain; charset=utf-8" } });
    throw error;
  }
  const n = /^\d{1,3}$/.test(position) ? Number(position) : -1;
  const file = n >= 0 ? await findEmailAttachment(await getDb(), id, n) : undefined;
  if (!file) return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  return new Response(new Uint8Array(file.content), {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.filename.replace(/["\\\r\n]/g, "_")}"`,
      "content-length": String(file.size),
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
