"use client";

import { reaggregateUsageAction } from "@/lib/actions/admin/customers/usage";
import { ActionDialog } from "./ActionDialog";

/** Rebuild a customer's usage rollups from their raw events, after saying what that does. */
export function ReaggregateDialog({ customerId, meters }: { customerId: string; meters: number }) {
  return (
    <ActionDialog
      triggerLabel="Re-aggregate…"
      title="Rebuild this customer's usage rollups?"
      description="Rollups are the hourly totals that invoices, limits and these pages read instead of every event."
      action={reaggregateUsageAction}
      hidden={{ customerId }}
      confirmLabel="Re-aggregate"
      effect={() => (
        <>
          Deletes this customer&rsquo;s rollups for {meters === 1 ? "the 1 meter" : `all ${meters} meters`} and computes them again from their stored events, in one
          transaction. Totals change only where a rollup was wrong; nothing is billed or sent. New events for these meters wait until it finishes.
        </>
      )}
    />
  );
}
