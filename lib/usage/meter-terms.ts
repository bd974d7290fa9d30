import type { MeterAggregation, MeterFilters } from "./vocabulary";
import { AppError } from "@/lib/errors";

export interface MeterTermsInput {
  aggregation: MeterAggregation;
  valueProperty?: string | null;
  uniqueProperty?: string | null;
  filters?: Record<string, readonly (string | number)[]> | null;
}

export interface MeterTerms {
  aggregation: MeterAggregation;
  valueProperty: string | null;
  uniqueProperty: string | null;
  filters: MeterFilters;
}

/** Which event property each aggregation reads: the value for sum/max/last, the key for unique_count, none for count. */
export function propertyReadBy(aggregation: MeterAggregation): "value_property" | "unique_property" | null {
  switch (aggregation) {
    case "sum":
    case "max":
    case "last":
      return "value_property";
    case "unique_count":
      return "unique_property";
    case "count":
      return null;
  }
}

/**
 * A meter's definition: exactly the property its aggregation reads, nothing else. Filter values are
 * compared as text (an event's `"tier": 2` matches a filter value `"2"`), so they are stored as text.
 */
export function normalizeMeterTerms(input: MeterTermsInput): MeterTerms {
  const reads = propertyReadBy(input.aggregation);
  const given = { value_property: input.valueProperty, unique_property: input.uniqueProperty };
  if (reads !== null && !given[reads]) {
    throw new AppError("validation_failed", { param: reads, userMessage: `${reads} is required for aggregation ${input.aggregation}.` });
  }
  for (const param of ["value_property", "unique_property"] as const) {
    if (param !== reads && given[param]) {
      throw new AppError("validation_failed", { param, userMessage: `${param} does not apply to aggregation ${input.aggregation}.` });
    }
  }
  const filters: MeterFilters = {};
  for (const [property, values] of Object.entries(input.filters ?? {})) filters[property] = [...new Set(values.map(String))];
  return {
    aggregation: input.aggregation,
    valueProperty: reads === "value_property" ? (input.valueProperty ?? null) : null,
    uniqueProperty: reads === "unique_property" ? (input.uniqueProperty ?? null) : null,
    filters,
  };
}
