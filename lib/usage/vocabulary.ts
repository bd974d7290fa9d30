/** How a meter turns a period's events into one number. */
export const meterAggregations = ["sum", "count", "max", "unique_count", "last"] as const;
export type MeterAggregation = (typeof meterAggregations)[number];

/** Property → the values an event's property must take to count (compared as text). */
export type MeterFilters = Record<string, string[]>;

/** An event's properties: the client's strings and numbers. */
export type UsageProperties = Record<string, string | number>;
