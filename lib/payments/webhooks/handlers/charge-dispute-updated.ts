import { disputeHandler } from "../sync/dispute";

/** `charge.dispute.updated`: the dispute changed (evidence submitted, under review, amount or reason). */
export const chargeDisputeUpdated = disputeHandler("updated");
