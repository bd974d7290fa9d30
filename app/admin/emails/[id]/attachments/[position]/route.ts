import { findEmailAttachment } from "@/db/queries/receipts";
import { staffDownload } from "@/lib/http/staff-download";

export const dynamic = "force-dynamic";

/** A file sent with an email (a receipt's PDF), as it was sent, for staff with emails.read. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string; position: string }> }): Promise<Response> {
  const { id, position } = await params;
  return staffDownload("emails.read", async (db) => {
    const file = /^\d{1,3}$/.test(position) ? await findEmailAttachment(db, id, Number(position)) : undefined;
    if (!file) return null;
    return new Response(new Uint8Array(file.content), {
      headers: {
        "content-type": file.contentType,
        "content-disposition": `attachment; filename="${file.filename.replace(/["\\\r\n]/g, "_")}"`,
        "content-length": String(file.size),
        "cache-control": "private, no-store",
        "x-content-type-options": "nosniff",
      },
    });
  });
}
