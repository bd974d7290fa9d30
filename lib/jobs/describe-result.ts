/**
 * A job's last result in words, for the console's list of background jobs. The billing run's says
 * how many renewals went in batches, how many subscriptions went one by one and why (every
 * fallback, by reason), how many charge results were settled one by one after a failed settlement
 * batch and why, and how many failed; other jobs' results are shown as their counts.
 */
export function describeJobResult(name: string, result: unknown): string | null {
  if (!result || typeof result !== "object") return null;
  if (name === "billing.run" && isBillingRun(result)) {
    const parts = [`${result.batched} renewed in batches`];
    const oneByOne = Object.entries(result.deferred).sort(([, a], [, b]) => b - a);
    const total = oneByOne.reduce((sum, [, n]) => sum + n, 0);
    if (total > 0) parts.push(`${total} one by one (${byReason(oneByOne)})`);
    // Older results have no settledOneByOne.
    const settled = Object.entries(result.settledOneByOne ?? {}).sort(([, a], [, b]) => b - a);
    const settledTotal = settled.reduce((sum, [, n]) => sum + n, 0);
    if (settledTotal > 0) parts.push(`${settledTotal} charge results settled one by one (${byReason(settled)})`);
    parts.push(`${result.failed.length} failed`);
    return parts.join(" · ");
  }
  const counts = Object.entries(result).filter((e): e is [string, number] => typeof e[1] === "number");
  return counts.length ? counts.map(([k, v]) => `${k.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}: ${v}`).join(" · ") : null;
}

const byReason = (counts: [string, number][]) => counts.map(([reason, n]) => `${reason}: ${n}`).join(", ");

function isBillingRun(r: object): r is { batched: number; deferred: Record<string, number>; settledOneByOne?: Record<string, number>; failed: unknown[] } {
  const x = r as Record<string, unknown>;
  return typeof x.batched === "number" && !!x.deferred && typeof x.deferred === "object" && Array.isArray(x.failed);
}
