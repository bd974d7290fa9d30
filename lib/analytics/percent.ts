/** "99" or "99.5" (per cent, at most 2 places) → the rate "0.99" / "0.995", exact; null when it is not such a number. */
export function percentToRate(text: string): string | null {
  const m = /^(\d{1,4})(?:\.(\d{1,2}))?$/.exec(text.trim().replace(/%$/, "").trim());
  if (!m) return null;
  const units = BigInt(m[1]!) * 100n + BigInt((m[2] ?? "").padEnd(2, "0"));
  const whole = units / 10_000n;
  const fraction = (units % 10_000n).toString().padStart(4, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/** A rate ("0.995") as per cent for people ("99.5%"); exact, up to 2 places. */
export function rateAsPercent(rate: string | null): string {
  if (rate === null) return "—";
  const negative = rate.startsWith("-");
  const [whole = "0", fraction = ""] = rate.replace(/^-/, "").split(".");
  const units = BigInt(whole) * 10_000n + BigInt(fraction.padEnd(4, "0").slice(0, 4));
  const int = units / 100n;
  const rest = (units % 100n).toString().padStart(2, "0").replace(/0+$/, "");
  return `${negative ? "−" : ""}${int}${rest ? `.${rest}` : ""}%`;
}
