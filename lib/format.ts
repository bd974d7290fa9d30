import { formatMoney } from "@/lib/money";

export { formatMoney };

export function formatDate(date: Date | null | undefined, timeZone = "UTC"): string {
  if (!date) return "—";
  return new Intl.DateTimeFormat("en-AU", { day: "numeric", month: "short", year: "numeric", timeZone }).format(date);
}

export function formatDateTime(date: Date | null | undefined, timeZone = "UTC"): string {
  if (!date) return "—";
  // Staff pages show UTC; say so, since customers' own times are shown in their zone.
  const suffix = timeZone === "UTC" ? " UTC" : "";
  return new Intl.DateTimeFormat("en-AU", { dateStyle: "medium", timeStyle: "short", timeZone }).format(date) + suffix;
}

export function intervalLabel(unit: string, count: number): string {
  return count === 1 ? unit : `${count} ${unit}s`;
}

/** "incl. GST" / "+ GST": how tax is shown the local way. */
export function taxNote(taxBehavior: "inclusive" | "exclusive", currency: string): string {
  const name = currency === "aud" || currency === "nzd" ? "GST" : "tax";
  return taxBehavior === "inclusive" ? `incl. ${name}` : `+ ${name}`;
}
