import type { Formatter } from "@/lib/format";
/**
 * Plan features (issue 16, docs/decisions/029-entitlements-cache.md): what a plan grants, and the
 * pure rules that turn a feature, the customer's access and the usage so far into the entitlement
 * answer. A boolean feature has no meter; a metered one names a meter code and a limit, hard
 * (refuse once reached) or soft (report, keep serving).
 */
export interface PlanFeature {
  code: string;
  /** A meter code: the feature is metered and `limit` applies to that meter's usage in the period. */
  meter?: string;
  limit?: number;
  hard: boolean;
}

/** What a plan's features may be given as: the old plain code (a boolean feature) or the object. */
export type PlanFeatureInput = string | { code: string; meter?: string | null; limit?: number | null; hard?: boolean };

export type FeatureProblem = { param: string; detail: string };

/** The stored form of a plan's features: objects only, a plain code read as a boolean, soft feature. */
export function normalizeFeatures(input: readonly PlanFeatureInput[]): PlanFeature[] {
  return input.map((f) => {
    if (typeof f === "string") return { code: f, hard: false };
    const out: PlanFeature = { code: f.code, hard: f.hard ?? false };
    if (f.meter !== undefined && f.meter !== null) out.meter = f.meter;
    if (f.limit !== undefined && f.limit !== null) out.limit = f.limit;
    return out;
  });
}

/** The first thing wrong with a plan's features, as the 422 it becomes; `knownMeters` are the meter codes that exist. */
export function featuresProblem(features: readonly PlanFeature[], knownMeters: ReadonlySet<string>, param = "features"): FeatureProblem | null {
  const seen = new Set<string>();
  for (const [i, f] of features.entries()) {
    const at = `${param}[${i}]`;
    if (seen.has(f.code)) return { param: `${at}.code`, detail: `${param} has "${f.code}" twice; each feature code appears once per plan.` };
    seen.add(f.code);
    if (f.limit !== undefined && f.meter === undefined) return { param: `${at}.limit`, detail: `Feature "${f.code}" has a limit but no meter: a limit counts a meter's usage, so name the meter (or drop the limit for a boolean feature).` };
    if (f.limit !== undefined && !(Number.isFinite(f.limit) && f.limit >= 0)) return { param: `${at}.limit`, detail: `Feature "${f.code}": limit must be a number ≥ 0.` };
    if (f.limit !== undefined && !exactDecimal(f.limit)) return { param: `${at}.limit`, detail: `Feature "${f.code}": limit may have at most 12 decimal places.` };
    if (f.meter !== undefined && !knownMeters.has(f.meter)) return { param: `${at}.meter`, detail: `Feature "${f.code}" names the meter "${f.meter}", which does not exist. Create it with POST /meters first.` };
  }
  return null;
}

/** The meter codes features name. */
export function featureMeters(features: readonly PlanFeature[]): string[] {
  return [...new Set(features.flatMap((f) => (f.meter === undefined ? [] : [f.meter])))];
}

export type Access = "active" | "warning" | "blocked";

export interface FeatureEntitlement {
  code: string;
  type: "boolean" | "metered";
  /** null: no limit (a boolean feature, or a metered one that only counts). */
  limit: number | null;
  /** The meter's usage in the current period; null for a boolean feature. */
  used: number | null;
  /** limit − used, never below 0; null without a limit. */
  remaining: number | null;
  hard: boolean;
  allowed: boolean;
}

const SCALE = 10n ** 12n;

/** A non-negative decimal (string or number) as an integer count of 10⁻¹² units. */
export function toScaled(value: string | number): bigint {
  const text = typeof value === "number" ? numberText(value) : value.trim();
  const match = /^(\d+)(?:\.(\d{1,}))?$/.exec(text);
  if (!match) throw new Error(`not a non-negative decimal: ${text}`);
  const fraction = (match[2] ?? "").slice(0, 12).padEnd(12, "0");
  return BigInt(match[1] ?? "0") * SCALE + BigInt(fraction);
}

export function fromScaled(scaled: bigint): number {
  const whole = scaled / SCALE;
  const fraction = (scaled % SCALE).toString().padStart(12, "0").replace(/0+$/, "");
  return Number(fraction ? `${whole}.${fraction}` : `${whole}`);
}

function numberText(n: number): string {
  // Plain notation for what JSON can carry (no exponent for ≥ 1e21 or tiny values).
  return Math.abs(n) < 1e21 ? n.toFixed(12).replace(/\.?0+$/, "") : BigInt(Math.round(n)).toString();
}

function exactDecimal(n: number): boolean {
  return Math.abs(n) < 1e15 && fromScaled(toScaled(n)) === n;
}

/**
 * One feature's answer. A boolean feature is allowed unless access is blocked; a metered one also
 * needs, when its limit is hard, usage below the limit (reaching it exactly is reaching it).
 */
export function featureEntitlement(feature: PlanFeature, access: Access, used: string | null): FeatureEntitlement {
  const served = access !== "blocked";
  if (feature.meter === undefined) return { code: feature.code, type: "boolean", limit: null, used: null, remaining: null, hard: feature.hard, allowed: served };
  const usedScaled = toScaled(used ?? "0");
  if (feature.limit === undefined) return { code: feature.code, type: "metered", limit: null, used: fromScaled(usedScaled), remaining: null, hard: feature.hard, allowed: served };
  const limitScaled = toScaled(feature.limit);
  const remaining = limitScaled > usedScaled ? limitScaled - usedScaled : 0n;
  const reached = usedScaled >= limitScaled;
  return { code: feature.code, type: "metered", limit: feature.limit, used: fromScaled(usedScaled), remaining: fromScaled(remaining), hard: feature.hard, allowed: served && !(feature.hard && reached) };
}

/** The thresholds, in percent of a limit, that send an email and `usage.threshold_reached` once per period. */
export const USAGE_THRESHOLDS = [80, 100] as const;
export type UsageThreshold = (typeof USAGE_THRESHOLDS)[number];

/** The thresholds usage has reached for a limit (nothing is reached before any usage, even of a limit of 0). */
export function reachedThresholds(limit: number, used: string): UsageThreshold[] {
  if (toScaled(used) === 0n) return [];
  const usedScaled = toScaled(used) * 100n;
  const limitScaled = toScaled(limit);
  return USAGE_THRESHOLDS.filter((t) => usedScaled >= limitScaled * BigInt(t));
}

/** How a feature reads on a pricing card: its code, and for a limited metered one the limit ("api-calls: 10,000 per period"). */
export function featureLabel(feature: PlanFeature, fmt: Formatter): string {
  if (feature.meter === undefined || feature.limit === undefined) return feature.code;
  return `${feature.code}: ${fmt.count(feature.limit)} per billing period`;
}
