import type { Executor } from "@/db/client";
import { reconciliationItems } from "@/db/schema";

/**
 * A difference for staff (the reconciliation queue). The id is derived from what it is about, so
 * the same finding from a redelivered or reordered event is recorded once.
 */
export async function flagForStaff(tx: Executor, item: { key: string; paymentId: string | null; kind: string; detail: string }): Promise<void> {
  await tx
    .insert(reconciliationItems)
    .values({ id: `rec_${item.kind}_${item.key}`, paymentId: item.paymentId, kind: item.kind, detail: item.detail })
    .onConflictDoNothing();
}
