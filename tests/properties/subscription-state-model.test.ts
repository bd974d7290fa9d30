import fc from "fast-check";
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { subscriptionStatusHistory } from "@/db/schema";
import { canTransition } from "@/lib/billing/subscriptions/state-machine";
import { AppError } from "@/lib/errors";
import { cancelSubscription, reactivateSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { pauseSubscription, resumeSubscription } from "@/lib/services/subscriptions/pause-subscription";
import { updateSubscription } from "@/lib/services/subscriptions/update-subscription";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { clockCustomer, subscriptionRow } from "../scenarios/support";
import { inBothApplyModes } from "../scenarios/apply-modes";
import { httpStatus } from "@/lib/api/problem";
import { makePlan } from "../factories";

/**
 * Model-based test: random command sequences against the real services, next to a model that says
 * which commands a subscription in each state accepts and what state it lands in. Every status the
 * subscription ever had must be a legal transition of the state machine.
 */
type Command =
  | { kind: "advance"; days: number }
  | { kind: "quantity"; quantity: number; behavior: "create_prorations" | "always_invoice" | "none" }
  | { kind: "cancel_at_period_end" }
  | { kind: "reactivate" }
  | { kind: "cancel_now" }
  | { kind: "pause"; resumeInDays: number | null }
  | { kind: "resume" }
  | { kind: "card"; token: "pm_card_visa" | "pm_card_chargeCustomerFail" };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("advance" as const), days: fc.integer({ min: 1, max: 70 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("quantity" as const), quantity: fc.integer({ min: 1, max: 5 }), behavior: fc.constantFrom("create_prorations" as const, "always_invoice" as const, "none" as const) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "cancel_at_period_end" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "reactivate" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "cancel_now" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("pause" as const), resumeInDays: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "resume" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("card" as const), token: fc.constantFrom("pm_card_visa" as const, "pm_card_chargeCustomerFail" as const) }) },
);

/** Which commands the model allows in a status (the services must refuse the rest with a 409/422). */
function allowed(cmd: Command, status: string, cancelAtPeriodEnd: boolean): boolean {
  const ended = status === "canceled" || status === "incomplete_expired";
  switch (cmd.kind) {
    case "advance":
    case "card":
      return true;
    case "quantity":
      return ["active", "trialing", "past_due"].includes(status) && !cancelAtPeriodEnd;
    case "cancel_at_period_end":
      return !ended && status !== "incomplete" && status !== "paused";
    case "reactivate":
      return !ended && cancelAtPeriodEnd;
    case "cancel_now":
      return !ended;
    case "pause":
      return status === "active" || status === "past_due";
    case "resume":
      return status === "paused";
  }
}

describe("subscription state machine, model-based over the real services", () => {
  it("accepts exactly the commands the model allows and only ever makes legal transitions", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 3, maxLength: 10 }), inBothApplyModes(async (commands) => {
        const { ctx, customerId, advance } = await clockCustomer(new Date("2027-01-10T00:00:00Z"));
        const { priceId } = await makePlan(ctx.db, { code: "seat", unitAmount: 1200 });
        const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }] });
        let clock = new Date("2027-01-10T00:00:00Z");
        for (const cmd of commands) {
          const before = await subscriptionRow(subscription.id);
          const expectOk = allowed(cmd, before.status, before.cancelAtPeriodEnd);
          const run = async () => {
            switch (cmd.kind) {
              case "advance":
                clock = new Date(clock.getTime() + cmd.days * 86_400_000);
                return advance(clock);
              case "card":
                return attachPaymentMethod(ctx, { customerId, token: cmd.token, makeDefault: true });
              case "quantity":
                return updateSubscription(ctx, subscription.id, { items: [{ priceId, quantity: cmd.quantity }], prorationBehavior: cmd.behavior, effective: "now" });
              case "cancel_at_period_end":
                return cancelSubscription(ctx, subscription.id, { atPeriodEnd: true });
              case "reactivate":
                return reactivateSubscription(ctx, subscription.id);
              case "cancel_now":
                return cancelSubscription(ctx, subscription.id, { atPeriodEnd: false, prorate: true });
              case "pause":
                return pauseSubscription(ctx, subscription.id, { resumesAt: cmd.resumeInDays ? new Date(clock.getTime() + cmd.resumeInDays * 86_400_000) : null });
              case "resume":
                return resumeSubscription(ctx, subscription.id);
            }
          };
          const outcome = await run().then(
            () => "ok" as const,
            (error: unknown) => {
              if (error instanceof AppError && (httpStatus(error) === 409 || httpStatus(error) === 422)) return "refused" as const;
              throw error;
            },
          );
          expect({ cmd, status: before.status, outcome }).toEqual({ cmd, status: before.status, outcome: expectOk ? "ok" : "refused" });
          const after = await subscriptionRow(subscription.id);
          if (cmd.kind === "cancel_now" && expectOk) expect(after.status).toBe("canceled");
          if (cmd.kind === "pause" && expectOk) expect(after.status).toBe("paused");
          if (cmd.kind === "cancel_at_period_end" && expectOk) expect(after.cancelAtPeriodEnd).toBe(true);
          if (cmd.kind === "reactivate" && expectOk) expect(after.cancelAtPeriodEnd).toBe(false);
        }
        const history = await ctx.db.select().from(subscriptionStatusHistory).where(eq(subscriptionStatusHistory.subscriptionId, subscription.id)).orderBy(asc(subscriptionStatusHistory.id));
        for (const [i, h] of history.entries()) {
          if (i === 0) expect(h.fromStatus).toBeNull();
          else {
            expect(h.fromStatus).toBe(history[i - 1]!.toStatus);
            expect(canTransition(h.fromStatus!, h.toStatus)).toBe(true);
          }
        }
      })),
      { numRuns: 12, seed: 20261121 },
    );
  }, 180_000);
});
