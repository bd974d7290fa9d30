import type { CostQuota } from "@/db/schema";
import type { FormField } from "@/components/admin/FieldsForm";
import type { Formatter } from "@/lib/format";

/** "20,000 units a day", or "No quota". */
export function quotaLabel(quota: CostQuota | null, fmt: Formatter): string {
  return quota ? `${fmt.usage(String(quota.limit))} units a ${quota.period}` : "No quota";
}

export function regionsLabel(regions: readonly string[]): string {
  return regions.length > 0 ? regions.join(", ") : "All regions";
}

/** The name, regions and quota fields of the provider forms. */
export function providerFields(values: { name: string; regions: readonly string[]; quota: CostQuota | null }): FormField[] {
  return [
    { kind: "text", name: "name", label: "Name", defaultValue: values.name, required: true },
    { kind: "text", name: "regions", label: "Regions", defaultValue: values.regions.join(", "), hint: "Region codes it serves, separated by commas, e.g. AU, US.", placeholder: "AU, US" },
    { kind: "number", name: "quota_limit", label: "Quota", defaultValue: values.quota ? String(values.quota.limit) : "", hint: "Units the provider allows per period; empty for none." },
    {
      kind: "select",
      name: "quota_period",
      label: "Quota period",
      defaultValue: values.quota?.period ?? "month",
      options: [
        { value: "month", label: "Per month (UTC)" },
        { value: "day", label: "Per day (UTC)" },
      ],
    },
  ];
}
