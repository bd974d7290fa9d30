import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { findPlans } from "@/db/queries/catalog";
import { couponSubscriptionCount, listPromotionCodesOfCoupon } from "@/db/queries/catalog-admin";
import { findCoupon } from "@/db/queries/discounts";
import { ConfirmAction } from "@/components/admin/ConfirmAction";
import { ConfirmedForm } from "@/components/admin/catalog/ConfirmedForm";
import { CouponStatus } from "@/components/admin/catalog/CouponStatus";
import { couponTermsLabel } from "@/components/admin/catalog/terms";
import { Badge, Card, CardBody, CardHeader, DescriptionList, FlashToast, PageHeader, Table, TBody, TD, TEmpty, TH, THead, TR } from "@/components/ui";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { createPromotionCodeAction, invalidateCouponAction, setPromotionCodeActiveAction } from "../actions";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Coupon · Tally Admin" };
export const dynamic = "force-dynamic";

export default async function CouponPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ notice?: string }> }) {
  const user = await requirePageUser("catalog.read");
  const fmt = await consoleFormatter();
  const canWrite = can(user.role, "catalog.write");
  const [{ id }, { notice }] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const coupon = await findCoupon(db, id);
  if (!coupon) notFound();
  const [codes, carrying, plans] = await Promise.all([listPromotionCodesOfCoupon(db, coupon.id), couponSubscriptionCount(db, coupon.id), findPlans(db, coupon.appliesToPlans ?? [])]);
  const terms = couponTermsLabel(coupon, fmt);
  const now = new Date();
  const redeemable = coupon.valid && !(coupon.redeemBy && coupon.redeemBy <= now);

  return (
    <div className="space-y-6">
      {notice ? <FlashToast message={notice} tone="success" /> : null}
      <PageHeader
        title={coupon.name}
        back={{ href: "/admin/catalog/coupons", label: "Coupons" }}
        meta={<CouponStatus coupon={coupon} now={now} />}
        description={terms}
        actions={
          canWrite && coupon.valid ? (
            <ConfirmAction
              action={invalidateCouponAction}
              fields={{ couponId: coupon.id }}
              triggerLabel="Invalidate…"
              triggerVariant="danger"
              triggerSize="md"
              tone="danger"
              title={`Invalidate ${coupon.name}?`}
              body={`No one can redeem it from now on, by any of its ${codes.length} code${codes.length === 1 ? "" : "s"}. The ${carrying} subscription${carrying === 1 ? "" : "s"} that already have it keep ${terms} as agreed; nothing already invoiced changes. This cannot be undone.`}
              confirmLabel="Invalidate coupon"
            />
          ) : null
        }
      />

      <div className="grid gap-6 lg:grid-cols-2">
        <Card className="min-w-0">
          <CardHeader title="Terms" />
          <CardBody className="py-1">
            <DescriptionList
              items={[
                { label: "Discount", value: terms },
                { label: "Applies to", value: plans.length ? plans.map((p) => p.name).join(", ") : "Every plan" },
                { label: "Redemptions", value: `${coupon.timesRedeemed} of ${coupon.maxRedemptions ?? "unlimited"}` },
                { label: "Redeem by", value: coupon.redeemBy ? fmt.dateTime(coupon.redeemBy) : "No end date" },
                { label: "Subscriptions with it", value: carrying },
                { label: "Created", value: fmt.date(coupon.createdAt) },
                { label: "ID", value: <span className="font-mono text-[13px]">{coupon.id}</span> },
              ]}
            />
          </CardBody>
        </Card>
        {canWrite && redeemable ? (
          <Card className="min-w-0">
            <CardHeader title="New promotion code" description="What customers type at checkout or in the portal." />
            <ConfirmedForm reader={fmt.reader}
              action={createPromotionCodeAction}
              hidden={{ couponId: coupon.id }}
              submitLabel="Create code…"
              confirmTitle="Create this promotion code?"
              confirmLabel="Create code"
              summary="promotion_code"
              context={{ couponTerms: terms, couponName: coupon.name }}
              fields={[
                { kind: "text", name: "code", label: "Code", placeholder: "e.g. SPRING25", hint: "3–40 letters, digits, “-” or “_”; not case-sensitive.", wide: true },
                { kind: "number", name: "max_redemptions", label: "Max uses", placeholder: "No limit" },
                { kind: "date", name: "expires_at", label: "Expires after", hint: "Last day it works (UTC)." },
              ]}
            />
          </Card>
        ) : null}
      </div>

      <Card>
        <CardHeader title="Promotion codes" description={`${codes.length} code${codes.length === 1 ? "" : "s"} for this coupon.`} />
        <Table bare caption={`Promotion codes of ${coupon.name}`}>
          <THead>
            <TR>
              <TH>Code</TH>
              <TH numeric>Used</TH>
              <TH className="hidden sm:table-cell">Expires</TH>
              <TH className="hidden sm:table-cell">Status</TH>
              <TH className="hidden sm:table-cell">Created</TH>
              {canWrite ? (
                <TH align="right" className="relative">
                  <span className="sr-only">Actions</span>
                </TH>
              ) : null}
            </TR>
          </THead>
          <TBody>
            {codes.length === 0 ? (
              <TEmpty colSpan={canWrite ? 6 : 5}>No codes yet: customers cannot enter this coupon until it has one.</TEmpty>
            ) : (
              codes.map((code) => {
                const expired = code.expiresAt !== null && code.expiresAt <= now;
                return (
                  <TR key={code.id}>
                    <TD>
                      <span className="font-mono text-[13px] font-medium">{code.code}</span>
                      <span className="mt-1 block sm:hidden">
                        <CodeStatus active={code.active} expired={expired} />
                      </span>
                    </TD>
                    <TD numeric>
                      {code.timesRedeemed}
                      <span className="text-slate-500"> / {code.maxRedemptions ?? "∞"}</span>
                    </TD>
                    <TD muted className="hidden sm:table-cell">
                      {code.expiresAt ? fmt.date(code.expiresAt) : "Never"}
                    </TD>
                    <TD className="hidden sm:table-cell">
                      <CodeStatus active={code.active} expired={expired} />
                    </TD>
                    <TD muted className="hidden sm:table-cell">
                      {fmt.date(code.createdAt)}
                    </TD>
                    {canWrite ? (
                      <TD align="right" className="relative">
                        {code.active || coupon.valid ? (
                          <ConfirmAction
                            action={setPromotionCodeActiveAction}
                            fields={{ couponId: coupon.id, promotionCodeId: code.id, active: String(!code.active) }}
                            triggerLabel={
                              <>
                                {code.active ? "Turn off" : "Turn on"}
                                <span className="sr-only"> {code.code}</span>
                              </>
                            }
                            tone={code.active ? "danger" : "default"}
                            title={code.active ? `Turn off ${code.code}?` : `Turn on ${code.code}?`}
                            body={
                              code.active
                                ? `Customers can no longer enter ${code.code}. Subscriptions that redeemed it keep ${terms}.`
                                : `Customers can enter ${code.code} again and get ${terms}.`
                            }
                            confirmLabel={code.active ? "Turn off" : "Turn on"}
                          />
                        ) : null}
                      </TD>
                    ) : null}
                  </TR>
                );
              })
            )}
          </TBody>
        </Table>
      </Card>
    </div>
  );
}

function CodeStatus({ active, expired }: { active: boolean; expired: boolean }) {
  if (!active) return <Badge>Off</Badge>;
  if (expired) return <Badge tone="warning">Expired</Badge>;
  return (
    <Badge tone="success" dot>
      Active
    </Badge>
  );
}
