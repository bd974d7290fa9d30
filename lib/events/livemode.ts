import { sql, type SQL } from "drizzle-orm";

/**
 * An event's mode (decision 036): the mode of its customer when it is about one (a customer and
 * everything it owns are test or live, and a customer's mode never changes), otherwise the mode it
 * was written with (an API-cost budget's or provider's). Read through `customers`, so the billing
 * writes that enqueue events pay nothing for it.
 */
export const eventLivemode: SQL<boolean> = eventLivemodeOf('"outbox_events"');

/** The same for an `outbox_events` row under the alias `alias` in hand-written SQL. */
export function eventLivemodeOf(alias: string): SQL<boolean> {
  const e = sql.raw(alias);
  return sql<boolean>`coalesce((select c.livemode from customers c where c.id = ${e}.customer_id), ${e}.livemode)`;
}
