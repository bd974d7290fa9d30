import { epochMs } from "./errors";

/**
 * Domain code never reads the clock; it is handed a Clock (or a Date) by whoever calls it. That is
 * what makes billing a function of (state, now): jobs are replayable, tests are deterministic, and
 * a customer on a test clock lives in simulated time. Persisted test clocks are database rows and
 * live elsewhere; these are the pure pieces.
 */
export interface Clock {
  now(): Date;
}

/** The only place in lib/money and lib/time allowed to read the wall clock. */
export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock stopped at `at`. Returns a fresh Date each call so a caller mutating it cannot move the clock. */
export function fixedClock(at: Date): Clock {
  const ms = epochMs(at, "at");
  return { now: () => new Date(ms) };
}
