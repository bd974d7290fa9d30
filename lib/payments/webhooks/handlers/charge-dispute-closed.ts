import { disputeHandler } from "../sync/dispute";

/** `charge.dispute.closed`: won, lost or (an inquiry) closed. Lost: the invoice stays paid and the money withdrawn goes on the reconciliation queue. */
export const chargeDisputeClosed = disputeHandler("closed");
