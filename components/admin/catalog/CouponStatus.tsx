import type { CouponRow } from "@/db/queries/discounts";
import { Badge } from "@/components/ui";

/** Valid, expired (redeem-by passed), used up, or invalidated. */
export function CouponStatus({ coupon, now }: { coupon: CouponRow; now: Date }) {
  if (!coupon.valid) return <Badge tone="danger">Invalidated</Badge>;
  if (coupon.redeemBy && coupon.redeemBy <= now) return <Badge tone="warning">Expired</Badge>;
  if (coupon.maxRedemptions !== null && coupon.timesRedeemed >= coupon.maxRedemptions) return <Badge tone="warning">Used up</Badge>;
  return (
    <Badge tone="success" dot>
      Valid
    </Badge>
  );
}
