import { disputeHandler } from "../sync/dispute";

/** `charge.dispute.funds_withdrawn`: the disputed amount left the balance. */
export const chargeDisputeFundsWithdrawn = disputeHandler("funds_withdrawn");
