import { customerNotes } from "@/db/schema";
import { findCustomer } from "@/db/queries/customers";
import type { CustomerNoteRow } from "@/db/queries/notes";
import { recordAudit } from "@/lib/audit/record";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "../context";

export const NOTE_MAX_LENGTH = 5000;

export interface AddNoteInput {
  customerId: string;
  body: string;
  /** Flag the note for a billing admin: it stays open until one resolves it. */
  escalate?: boolean;
}

/** A staff note on a customer (append-only), optionally escalated to a billing admin. */
export async function addCustomerNote(ctx: ServiceContext, input: AddNoteInput): Promise<CustomerNoteRow> {
  const body = normalizeBody(input.body);
  const author = staffAuthor(ctx);
  return ctx.db.transaction(async (tx) => {
    const customer = await findCustomer(tx, input.customerId);
    if (!customer) throw notFound("customer", "customer");
    const kind = input.escalate ? "escalation" : "note";
    const [note] = await tx.insert(customerNotes).values({ id: newId("customerNote"), customerId: customer.id, author, body, kind, createdAt: ctx.now }).returning();
    if (!note) throw new Error("note insert returned nothing");
    await recordAudit(
      tx,
      ctx.actor,
      { action: input.escalate ? "customer.escalated" : "customer.note_added", entityType: "customer", entityId: customer.id, after: { note: note.id, kind, body } },
      ctx.now,
      ctx.requestId,
    );
    return note;
  });
}

export function normalizeBody(raw: string): string {
  const body = raw.trim();
  if (body === "") throw new AppError("validation_failed", { param: "body", userMessage: "Write the note first." });
  if (body.length > NOTE_MAX_LENGTH) throw new AppError("too_long", { param: "body", userMessage: `Notes are at most ${NOTE_MAX_LENGTH} characters.` });
  return body;
}

/** Notes are written by staff people, never by an API key or a job: the author is a user. */
export function staffAuthor(ctx: ServiceContext): string {
  if (ctx.actor.type !== "user" || ctx.actor.role === "subscriber") {
    throw new AppError("forbidden", { userMessage: "Only staff can write notes on a customer." });
  }
  return ctx.actor.id;
}
