import { apiRoute } from "@/lib/api/handler";
import { retrieveCreditNoteOp } from "@/lib/api/operations/credit-notes";
import { toCreditNote } from "@/lib/api/resources/credit-note";
import { creditNoteForKey } from "@/lib/api/scope";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrieveCreditNoteOp, async ({ db, apiKey, params }) => toCreditNote(await creditNoteForKey(db, params.id, apiKey.livemode)));
