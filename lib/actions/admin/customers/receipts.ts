"use server";

import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { resendReceipt } from "@/lib/services/receipts/resend-receipt";
import { assertOwned, customerField, idField, refreshCustomer } from "./helpers";

const receiptSchema = z.object({ customerId: customerField, receiptId: idField });

/** Staff email a customer's receipt again (invoices.send, audited as receipt.resent). */
export const resendReceiptAction = validatedAction("invoices.send", receiptSchema, async (input, _user, ctx) => {
  await assertOwned(ctx.db, "receipt", input.receiptId, input.customerId);
  const { receipt, to } = await resendReceipt(ctx, input.receiptId);
  refreshCustomer(input.customerId);
  return { ok: true, message: `Receipt ${receipt.number} emailed to ${to}.` };
});
