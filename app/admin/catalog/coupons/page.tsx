import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listCouponsWithCodes, listPlansOverview } from "@/db/queries/catalog-admin";
import { ConfirmedForm } from "@/components/admin/catalog/ConfirmedForm";
import { CouponStatus } from "@/components/admin/catalog/CouponStatus";
import { couponTermsLabel } from "@/components/admin/catalog/terms";
import { Card, CardBody, CardHeader, EmptyState, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { createCouponAction } from "./actions";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Coupons · Tally Admin" };
export const dynamic = "force-dynamic";

export default async function CouponsPage() {
  const user = await requirePageUser("catalog.read");
  const fmt = await consoleFormatter();
  const canWrite = can(user.role, "catalog.write");
  const db = await getDb();
  const [coupons, plans] = await Promise.all([listCouponsWithCodes(db), listPlansOverview(db)]);
  const now = new Date();

  return (
    <div className="space-y-6">
      <PageHeader title="Coupons" description="Discounts on subscription invoices. Customers redeem them through promotion codes at checkout or in the portal; staff can apply them to a subscription." />
      <Card>
        <CardHeader title="All coupons" description={`${coupons.length} coupon${coupons.length === 1 ? "" : "s"}`} />
        {coupons.length === 0 ? (
          <CardBody>
            <EmptyState title="No coupons yet" description={canWrite ? "Create one below, then give it a promotion code." : "A billing admin creates coupons."} />
          </CardBody>
        ) : (
          <>
          {/* Phones get a list: the table would hide the status behind a scroll. */}
          <ul className="divide-y divide-slate-100 sm:hidden">
            {coupons.map(({ coupon, codes }) => (
              <li key={coupon.id} className="px-5 py-3">
                <div className="flex items-start justify-between gap-3">
                  <Link href={`/admin/catalog/coupons/${coupon.id}`} className="rounded-sm text-sm font-medium text-brand-700 hover:underline">
                    {coupon.name}
                  </Link>
                  <CouponStatus coupon={coupon} now={now} />
                </div>
                <p className="mt-1 text-sm text-slate-800">{couponTermsLabel(coupon, fmt)}</p>
                <p className="mt-0.5 text-[13px] text-slate-600">
                  Redeemed {coupon.timesRedeemed} / {coupon.maxRedemptions ?? "∞"} · {codes} code{codes === 1 ? "" : "s"}
                  {coupon.redeemBy ? ` · until ${fmt.date(coupon.redeemBy)}` : ""}
                </p>
              </li>
            ))}
          </ul>
          <Table bare wrapperClassName="hidden sm:block" caption="Coupons">
            <THead>
              <TR>
                <TH>Coupon</TH>
                <TH>Terms</TH>
                <TH numeric>Redemptions</TH>
                <TH numeric>Codes</TH>
                <TH>Redeem by</TH>
                <TH>Status</TH>
              </TR>
            </THead>
            <TBody>
              {coupons.map(({ coupon, codes }) => (
                <TR key={coupon.id} interactive>
                  <TD>
                    <Link href={`/admin/catalog/coupons/${coupon.id}`} className="rounded-sm font-medium text-brand-700 hover:underline">
                      {coupon.name}
                    </Link>
                    <p className="font-mono text-xs text-slate-500">{coupon.id}</p>
                  </TD>
                  <TD wrap className="min-w-40">
                    {couponTermsLabel(coupon, fmt)}
                    {coupon.appliesToPlans?.length ? <span className="block text-xs text-slate-500">{coupon.appliesToPlans.length === 1 ? "One plan only" : `${coupon.appliesToPlans.length} plans only`}</span> : null}
                  </TD>
                  <TD numeric>
                    {coupon.timesRedeemed}
                    <span className="text-slate-500"> / {coupon.maxRedemptions ?? "∞"}</span>
                  </TD>
                  <TD numeric>{codes}</TD>
                  <TD muted>{coupon.redeemBy ? fmt.date(coupon.redeemBy) : "No end"}</TD>
                  <TD>
                    <CouponStatus coupon={coupon} now={now} />
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          </>
        )}
      </Card>

      {canWrite ? (
        <Card>
          <CardHeader title="New coupon" description="Terms are fixed once created (like Stripe): to change them, create a new coupon and invalidate the old one." />
          <ConfirmedForm reader={fmt.reader}
            action={createCouponAction}
            submitLabel="Create coupon…"
            confirmTitle="Create this coupon?"
            confirmLabel="Create coupon"
            summary="coupon"
            fields={[
              { kind: "text", name: "name", label: "Name", placeholder: "e.g. Spring sale", hint: "Shown on invoices. Leave empty to use the terms." },
              {
                kind: "select",
                name: "kind",
                label: "Discount",
                defaultValue: "percent",
                options: [
                  { value: "percent", label: "Percentage off" },
                  { value: "amount", label: "Fixed amount off" },
                ],
              },
              { kind: "number", name: "percent_off", label: "Percent off", placeholder: "25", trailing: "%", showWhen: { name: "kind", in: ["percent"] } },
              { kind: "money", name: "amount_off", label: "Amount off", placeholder: "10.00", hint: "Per invoice.", showWhen: { name: "kind", in: ["amount"] } },
              { kind: "text", name: "currency", label: "Currency", defaultValue: "AUD", hint: "Applies only to invoices in this currency.", showWhen: { name: "kind", in: ["amount"] } },
              {
                kind: "select",
                name: "duration",
                label: "Lasts",
                defaultValue: "repeating",
                options: [
                  { value: "once", label: "Once: the first invoice" },
                  { value: "repeating", label: "A number of months" },
                  { value: "forever", label: "Forever" },
                ],
              },
              { kind: "number", name: "duration_in_periods", label: "Months", defaultValue: "3", trailing: "months", showWhen: { name: "duration", in: ["repeating"] } },
              { kind: "number", name: "max_redemptions", label: "Max redemptions", placeholder: "No limit", hint: "Across all its codes." },
              { kind: "date", name: "redeem_by", label: "Redeem by", hint: "Last day to redeem (UTC). Empty: no end." },
              {
                kind: "select",
                name: "applies_to",
                label: "Plans",
                defaultValue: "",
                options: [{ value: "", label: "Every plan" }, ...plans.map(({ plan }) => ({ value: plan.id, label: `Only ${plan.name} (${plan.code})` }))],
              },
            ]}
          />
        </Card>
      ) : null}
    </div>
  );
}
