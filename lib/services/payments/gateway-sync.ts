import type { Db } from "@/db/client";
import { resendPendingRefunds } from "../credit-notes/refund-payments";
import { detachDueCards } from "../payment-methods/detach-at-gateway";
import { finishGatewayErasures } from "../privacy/delete-customer";

/**
 * The gateway janitor (every 5 minutes): what Tally decided but the gateway has not heard yet,
 * because it did not answer or the process stopped after the commit. Each step is keyed, so doing
 * it again is the same call: cards removed in Tally detached at the gateway, deleted accounts'
 * gateway side finished (cards, the customer's name and email), refunds without an answer sent again.
 */
export async function syncGateway(db: Db, now: Date) {
  const cards = await detachDueCards(db, now);
  const erasures = await finishGatewayErasures(db, now);
  const refunds = await resendPendingRefunds(db, now);
  return { cards, erasures, refunds };
}
