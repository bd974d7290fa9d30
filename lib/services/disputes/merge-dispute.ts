/**
 * Stripe sends a dispute's events in any order and more than once. Each event carries the whole
 * dispute as it was when the event was created; merging versions by that time (with closed
 * statuses final and the funds flags only ever set) gives the same row whatever the order.
 */

export const CLOSED_DISPUTE_STATUSES: ReadonlySet<string> = new Set(["won", "lost", "warning_closed", "prevented"]);

export interface DisputeVersion {
  status: string;
  amount: number;
  reason: string;
  evidenceDueBy: Date | null;
  fundsWithdrawn: boolean;
  fundsReinstated: boolean;
  /** The gateway's time for this version (the event's `created`). */
  asOf: Date;
}

/** Within one second (Stripe's resolution) a later stage wins: response due < under review < closed. */
function stage(status: string): number {
  if (CLOSED_DISPUTE_STATUSES.has(status)) return 3;
  return status.endsWith("under_review") ? 2 : 1;
}

function isNewer(current: DisputeVersion, incoming: DisputeVersion): boolean {
  const diff = incoming.asOf.getTime() - current.asOf.getTime();
  return diff !== 0 ? diff > 0 : stage(incoming.status) >= stage(current.status);
}

export function mergeDisputeVersions(current: DisputeVersion, incoming: DisputeVersion): DisputeVersion {
  const newer = isNewer(current, incoming);
  const currentClosed = CLOSED_DISPUTE_STATUSES.has(current.status);
  const incomingClosed = CLOSED_DISPUTE_STATUSES.has(incoming.status);
  // A closed dispute stays closed: an older "needs_response" arriving late never reopens it.
  const status = currentClosed !== incomingClosed ? (currentClosed ? current.status : incoming.status) : newer ? incoming.status : current.status;
  const latest = newer ? incoming : current;
  return {
    status,
    amount: latest.amount,
    reason: latest.reason,
    evidenceDueBy: latest.evidenceDueBy ?? (newer ? current.evidenceDueBy : incoming.evidenceDueBy),
    fundsWithdrawn: current.fundsWithdrawn || incoming.fundsWithdrawn,
    fundsReinstated: current.fundsReinstated || incoming.fundsReinstated,
    asOf: newer ? incoming.asOf : current.asOf,
  };
}
