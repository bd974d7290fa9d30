import { and, eq } from "drizzle-orm";
import { creditNotes } from "@/db/schema";
import { withLines } from "@/db/queries/credit-notes";
import { keysetPage } from "@/db/queries/paginate";
import { apiRoute } from "@/lib/api/handler";
import { createCreditNoteOp, listCreditNotesOp } from "@/lib/api/operations/credit-notes";
import { toList } from "@/lib/api/pagination";
import { toCreditNote } from "@/lib/api/resources/credit-note";
import { invoiceForKey } from "@/lib/api/scope";
import { createCreditNote } from "@/lib/services/credit-notes/create-credit-note";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createCreditNoteOp, async ({ db, actor, apiKey, now, requestId, body }) => {
  await invoiceForKey(db, body.invoice, apiKey.livemode, "invoice");
  const note = await createCreditNote(
    { db, actor, now, requestId },
    {
      invoiceId: body.invoice,
      amount: body.amount,
      lines: body.lines?.map((l) => ({ invoiceLine: l.invoice_line, amount: l.amount, quantity: l.quantity })),
      reason: body.reason,
      outcome: body.outcome,
      memo: body.memo,
    },
  );
  return toCreditNote(note);
});

export const GET = apiRoute(listCreditNotesOp, async ({ db, apiKey, query, req }) => {
  const where = and(
    eq(creditNotes.livemode, apiKey.livemode),
    query.invoice ? eq(creditNotes.invoiceId, query.invoice) : undefined,
    query.customer ? eq(creditNotes.customerId, query.customer) : undefined,
  );
  const { rows, direction } = await keysetPage(db, creditNotes, where, { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  const data = (await withLines(db, rows)).map(toCreditNote);
  return toList(data, query.limit, new URL(req.url).pathname, direction);
});
