import { FileBody, apiRoute } from "@/lib/api/handler";
import { journalExportOp } from "@/lib/api/operations/revenue";
import { exportJournal } from "@/lib/services/revenue/export-journal";

export const dynamic = "force-dynamic";

export const GET = apiRoute(journalExportOp, async ({ db, actor, now, requestId, query }) => {
  const file = await exportJournal({ db, actor, now, requestId }, { month: query.month, format: query.format });
  return new FileBody(file.body, file.filename);
});
