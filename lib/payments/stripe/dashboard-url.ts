const SECTIONS = { payment: "payments", customer: "customers", refund: "refunds", dispute: "disputes" } as const;

/** A deep link for staff: `https://dashboard.stripe.com/test/payments/pi_…` (no `test/` in live mode). */
export function dashboardUrl(kind: keyof typeof SECTIONS, gatewayId: string, livemode: boolean): string | null {
  if (!gatewayId) return null;
  return `https://dashboard.stripe.com/${livemode ? "" : "test/"}${SECTIONS[kind]}/${encodeURIComponent(gatewayId)}`;
}
