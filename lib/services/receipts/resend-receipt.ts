import { findCustomer } from "@/db/queries/customers";
import { findReceipt, type ReceiptRow } from "@/db/queries/receipts";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";

/**
 * Email a receipt (with its PDF) to the customer again: audited, and sent after commit by the
 * outbox (event receipt.resent), once per request. A receipt stays as issued; only the email repeats.
 */
export async function resendReceipt(ctx: ServiceContext, receiptId: string): Promise<{ receipt: ReceiptRow; to: string }> {
  return ctx.db.transaction(async (tx) => {
    const receipt = await findReceipt(tx, receiptId);
    if (!receipt) throw notFound("receipt", "receipt");
    const customer = await findCustomer(tx, receipt.customerId);
    if (!customer) throw notFound("customer");
    await recordAudit(tx, ctx.actor, { action: "receipt.resent", entityType: "receipt", entityId: receipt.id, after: { number: receipt.number, to: customer.email } }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "receipt.resent", customerId: receipt.customerId, entityId: receipt.id, payload: { receipt: receipt.id, to: customer.email } }, ctx.now);
    return { receipt, to: customer.email };
  });
}
