import { disputeHandler } from "../sync/dispute";

/** `charge.dispute.created`: a customer's bank opened a dispute (or an inquiry): recorded with its evidence due date; the invoice and the customer are flagged (audit entries, `dispute.created`). */
export const chargeDisputeCreated = disputeHandler("created");
