import type { MeterRow } from "@/db/queries/usage";
import { meterAggregations } from "@/lib/usage/vocabulary";
import type { CatalogField } from "./ConfirmedForm";
import { aggregationLabels } from "./terms";

/** The fields of the "New meter" and "New version" forms; a version starts from the current definition. */
export function meterFormFields(current?: MeterRow): CatalogField[] {
  const property = current ? (current.valueProperty ?? current.uniqueProperty ?? "") : "";
  const filters = current ? Object.entries(current.filters).map(([p, values]) => `${p} = ${values.join(", ")}`).join("\n") : "";
  return [
    ...(current ? [] : [{ kind: "text" as const, name: "code", label: "Code", placeholder: "e.g. api_calls", hint: "What events name in their meter field. A code that exists gets a new version." }]),
    { kind: "text", name: "name", label: "Name", defaultValue: current?.name, placeholder: "e.g. API calls" },
    {
      kind: "select",
      name: "aggregation",
      label: "Aggregation",
      defaultValue: current?.aggregation ?? "sum",
      options: meterAggregations.map((a) => ({ value: a, label: aggregationLabels[a] ?? a })),
      hint: "How a period's events become one number.",
    },
    {
      kind: "text",
      name: "property",
      label: "Property",
      defaultValue: property,
      placeholder: "e.g. tokens",
      hint: "The event property it reads: a number for sum, maximum and last value; any value for unique count.",
      showWhen: { name: "aggregation", in: ["sum", "max", "last", "unique_count"] },
    },
    { kind: "textarea", name: "filters", label: "Filters", defaultValue: filters, hint: "Optional. One per line: region = au, nz counts only events whose region is au or nz.", wide: true },
  ];
}
