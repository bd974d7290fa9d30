"use server";

import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { addCustomerNote } from "@/lib/services/notes/add-note";
import { resolveEscalation } from "@/lib/services/notes/resolve-escalation";
import { customerField, idField, refreshCustomer } from "./helpers";

const body = z.string().trim().min(1, "Write the note first.").max(5000, "Notes are at most 5,000 characters.");

export const addNoteAction = validatedAction("notes.write", z.object({ customerId: customerField, body }), async (input, _user, ctx) => {
  await addCustomerNote(ctx, { customerId: input.customerId, body: input.body });
  refreshCustomer(input.customerId);
  return { ok: true, message: "Note added." };
});

export const escalateAction = validatedAction("customers.escalate", z.object({ customerId: customerField, body }), async (input, _user, ctx) => {
  await addCustomerNote(ctx, { customerId: input.customerId, body: input.body, escalate: true });
  refreshCustomer(input.customerId);
  return { ok: true, message: "Escalated to a billing admin." };
});

export const resolveEscalationAction = validatedAction(
  "escalations.resolve",
  z.object({ customerId: customerField, escalationId: idField, body }),
  async (input, _user, ctx) => {
    await resolveEscalation(ctx, { escalationId: input.escalationId, customerId: input.customerId, body: input.body });
    refreshCustomer(input.customerId);
    return { ok: true, message: "Escalation resolved." };
  },
);
