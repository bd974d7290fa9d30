import { disputeHandler } from "../sync/dispute";

/** `charge.dispute.funds_reinstated`: the disputed amount came back (a dispute won). */
export const chargeDisputeFundsReinstated = disputeHandler("funds_reinstated");
