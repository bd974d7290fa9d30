"use client";

import { formatterFor, type Reader } from "@/lib/format";
import { Input, Select, Textarea } from "@/components/ui";
import {
  applyCouponAction,
  cancelSubscriptionAction,
  pauseSubscriptionAction,
  reactivateSubscriptionAction,
  resumeSubscriptionAction,
  setUsageSpendThresholdAction,
} from "@/lib/actions/admin/customers/subscriptions";
import { canPause } from "@/lib/billing/subscriptions/state-machine";
import { ActionDialog } from "./ActionDialog";
import { ChangePlanDialog } from "./ChangePlanDialog";
import { money, typedMinor, type CouponChoice, type PriceChoice, type SubscriptionSummary } from "./types";

export function SubscriptionActions({
  reader,
  customerId,
  subscription: s,
  prices,
  coupons,
  defaultCard,
}: {
  reader: Reader;
  customerId: string;
  subscription: SubscriptionSummary;
  prices: PriceChoice[];
  coupons: CouponChoice[];
  defaultCard: string | null;
}) {
  const fmt = formatterFor(reader);
  const hidden = { customerId, subscriptionId: s.id };
  const live = !["canceled", "incomplete_expired"].includes(s.status);
  const changeable = ["active", "trialing", "past_due"].includes(s.status) && !s.cancelAtPeriodEnd;
  const card = defaultCard ?? "the customer's card";
  const buttons = [];
  if (changeable) buttons.push(<ChangePlanDialog key="change" customerId={customerId} subscription={s} prices={prices} />);
  if (live && coupons.length > 0) {
    buttons.push(
      <ActionDialog
        key="coupon"
        triggerLabel="Apply coupon"
        title={`Apply a coupon to ${s.plan}`}
        action={applyCouponAction}
        hidden={hidden}
        initialValues={{ couponId: coupons[0]?.id ?? "", promotionCode: "" }}
        canConfirm={(v) => Boolean(v.couponId || v.promotionCode?.trim())}
        fields={({ values, errors }) => (
          <>
            <Select label="Coupon" name="couponId" defaultValue={values.couponId} error={errors.couponId} options={coupons.map((c) => ({ value: c.id, label: c.label }))} placeholder="Use a promotion code instead" data-autofocus="" />
            <Input label="Promotion code" name="promotionCode" defaultValue={values.promotionCode} error={errors.promotionCode ?? errors.promotion_code} hint="Only when no coupon is chosen above." autoComplete="off" />
          </>
        )}
        effect={(v) => {
          const chosen = coupons.find((c) => c.id === v.couponId);
          const what = chosen ? chosen.label : v.promotionCode?.trim() ? `the promotion code ${v.promotionCode.trim().toUpperCase()}` : null;
          if (!what) return "Choose a coupon or enter a promotion code.";
          return `Apply ${what} to ${s.plan}: it discounts the invoices from the next renewal (${s.periodEnd}) on; nothing is charged or refunded now.${s.coupon ? ` It replaces ${s.coupon}.` : ""}`;
        }}
        confirmLabel="Apply coupon"
      />,
    );
  }
  if (live && s.usageSpendThreshold !== null) {
    const current = s.usageSpendThreshold;
    buttons.push(
      <ActionDialog
        key="spend-threshold"
        triggerLabel={current === "" ? "Set usage spend threshold" : "Change usage spend threshold"}
        title={`Usage spend threshold for ${s.plan}`}
        action={setUsageSpendThresholdAction}
        hidden={hidden}
        initialValues={{ amount: current }}
        fields={({ values, errors }) => (
          <Input
            label={`Amount (${s.currency.toUpperCase()})`}
            name="amount"
            inputMode="decimal"
            defaultValue={values.amount}
            error={errors.amount}
            hint="The customer is emailed when the period's usage cost reaches 80% and 100% of it. Leave empty for no threshold."
            autoComplete="off"
            data-autofocus=""
          />
        )}
        effect={(v) => {
          const typed = v.amount?.trim() ?? "";
          if (typed === "") return current === "" ? "No threshold is set; enter an amount to set one." : "Clear the threshold: no more usage spend emails for this subscription.";
          const minor = typedMinor(typed, s.currency);
          if (minor === null) return `Enter an amount like ${s.currency === "jpy" ? "80" : "50.00"}.`;
          return `Notify the customer when this period's usage cost reaches 80% and 100% of ${money(fmt, minor, s.currency)}, once each per period. Nothing is charged or capped.`;
        }}
        confirmLabel="Save threshold"
      />,
    );
  }
  if (s.cancelAtPeriodEnd && live) {
    buttons.push(
      <ActionDialog
        key="reactivate"
        triggerLabel="Reactivate"
        title={`Keep ${s.plan}`}
        action={reactivateSubscriptionAction}
        hidden={hidden}
        effect={() => `Undo the cancellation: ${s.plan} renews on ${s.periodEnd} at ${s.price}, charged to ${card}, instead of ending.`}
        confirmLabel="Reactivate"
      />,
    );
  }
  if (s.status === "paused") {
    buttons.push(
      <ActionDialog
        key="resume"
        triggerLabel="Resume"
        title={`Resume ${s.plan}`}
        action={resumeSubscriptionAction}
        hidden={hidden}
        effect={() => `A new period starts today, billed in full at ${s.price} (less any credit balance) and charged to ${card} now.`}
        confirmLabel="Resume and charge"
      />,
    );
  }
  if (canPause(s.status)) {
    buttons.push(
      <ActionDialog
        key="pause"
        triggerLabel="Pause"
        title={`Pause ${s.plan}`}
        action={pauseSubscriptionAction}
        hidden={hidden}
        initialValues={{ resumesOn: "" }}
        fields={({ values, errors }) => (
          <Input label="Resume automatically on" name="resumesOn" type="date" min={s.today} max={s.maxResume} defaultValue={values.resumesOn} error={errors.resumesOn ?? errors.resumes_at} hint="Leave empty to resume by hand. After 90 days paused it is canceled." data-autofocus="" />
        )}
        effect={(v) =>
          `Billing stops now. The unused part of the paid period is credited to the customer's balance, so resuming never charges twice for the same days. ${v.resumesOn ? `It resumes on ${v.resumesOn} with a new period billed in full.` : "It stays paused until resumed."}`
        }
        confirmLabel="Pause"
      />,
    );
  }
  if (live && !s.cancelAtPeriodEnd) {
    buttons.push(
      <ActionDialog
        key="cancel"
        triggerLabel="Cancel subscription"
        cancelLabel="Keep subscription"
        triggerVariant="danger"
        tone="danger"
        title={`Cancel ${s.plan}`}
        action={cancelSubscriptionAction}
        hidden={hidden}
        initialValues={{ when: s.status === "paused" || s.status === "incomplete" ? "now" : "period_end", unused: "credit", reason: "" }}
        fields={({ values, errors }) => (
          <>
            <Select
              label="When"
              name="when"
              defaultValue={values.when}
              error={errors.when ?? errors.at_period_end}
              options={[
                { value: "period_end", label: `At the end of the period (${s.periodEnd})`, disabled: s.status === "paused" || s.status === "incomplete" },
                { value: "now", label: "Now" },
              ]}
              data-autofocus=""
            />
            {values.when === "now" ? (
              <Select
                label="Unused time"
                name="unused"
                defaultValue={values.unused}
                error={errors.unused}
                options={[
                  { value: "credit", label: "Credit it to the customer's balance" },
                  { value: "refund", label: `Refund it to ${card}` },
                  { value: "none", label: "Return nothing" },
                ]}
              />
            ) : null}
            <Textarea label="Reason" name="reason" defaultValue={values.reason} error={errors.reason} rows={2} hint="Kept with the subscription for churn reports." />
          </>
        )}
        effect={(v) => {
          if (v.when !== "now") return `${s.plan} cancels on ${s.periodEnd}: the customer keeps it until then and is not charged again. Nothing is refunded. You can undo this until then.`;
          if (v.unused === "none") return `${s.plan} ends now. Nothing is returned for the unused days of the period.`;
          const where = v.unused === "refund" ? `refunded to ${card}` : "credited to the customer's balance";
          return `${s.plan} ends now. The unused days of a paid period (after any discount, with tax) are ${where}; an unpaid period returns nothing.`;
        }}
        confirmLabel="Cancel subscription"
      />,
    );
  }
  if (buttons.length === 0) return null;
  return <div className="flex flex-wrap gap-2">{buttons}</div>;
}
