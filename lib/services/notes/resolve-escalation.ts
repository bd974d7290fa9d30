import { eq } from "drizzle-orm";
import { customerNotes } from "@/db/schema";
import { isUniqueViolation } from "@/db/queries/errors";
import { findCustomerNote, type CustomerNoteRow } from "@/db/queries/notes";
import { recordAudit } from "@/lib/audit/record";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "../context";
import { normalizeBody, staffAuthor } from "./add-note";

export interface ResolveEscalationInput {
  escalationId: string;
  /** When given, the escalation must belong to this customer. */
  customerId?: string;
  /** What was done about it. */
  body: string;
}

/**
 * Close an escalation with a resolution note naming it. Notes are append-only, so the escalation is
 * not changed: it is resolved because a resolution exists. A unique index allows one resolution,
 * so two billing admins resolving at once get one resolution and a clear conflict.
 */
export async function resolveEscalation(ctx: ServiceContext, input: ResolveEscalationInput): Promise<CustomerNoteRow> {
  const body = normalizeBody(input.body);
  const author = staffAuthor(ctx);
  try {
    return await ctx.db.transaction(async (tx) => {
      const escalation = await findCustomerNote(tx, input.escalationId);
      if (!escalation || escalation.kind !== "escalation" || (input.customerId && escalation.customerId !== input.customerId)) {
        throw notFound("escalation", "escalation");
      }
      const [already] = await tx.select({ id: customerNotes.id }).from(customerNotes).where(eq(customerNotes.resolves, escalation.id));
      if (already) throw alreadyResolved();
      const [note] = await tx
        .insert(customerNotes)
        .values({ id: newId("customerNote"), customerId: escalation.customerId, author, body, kind: "resolution", resolves: escalation.id, createdAt: ctx.now })
        .returning();
      if (!note) throw new Error("note insert returned nothing");
      await recordAudit(
        tx,
        ctx.actor,
        { action: "customer.escalation_resolved", entityType: "customer", entityId: escalation.customerId, before: { escalation: escalation.id, state: "open" }, after: { escalation: escalation.id, state: "resolved", note: note.id, body } },
        ctx.now,
        ctx.requestId,
      );
      return note;
    });
  } catch (error) {
    if (isUniqueViolation(error, "customer_notes_resolves_key")) {
      throw alreadyResolved();
    }
    throw error;
  }
}

const alreadyResolved = () => new AppError("conflict", { userMessage: "This escalation has already been resolved." });
