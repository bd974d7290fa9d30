import { and, eq, isNull, ne } from "drizzle-orm";
import { entitlementsChanged } from "../customers/entitlements-cache";
import type { Db } from "@/db/client";
import { customers, invoices, subscriptions } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { recordAudit } from "@/lib/audit/record";
import { accessFor, dunningStage, escalate, finalSubscriptionStatus, nextStage, oldestPerCustomer, stageAt, stageRank, type ActingStage } from "@/lib/billing/dunning/policy";
import { enqueueEvent } from "@/lib/events/outbox";
import { lockCustomer } from "@/db/queries/customers";
import { markUncollectibleTx } from "../invoices/void-invoice";
import { getSetting } from "../settings/settings";
import { changeSubscriptionStatus } from "../subscriptions/change-status";
import { cancelSubscription } from "../subscriptions/cancel-subscription";
import { failingInvoices, recordedStage, type CustomerScope } from "./dunning-state";
import { restoreCustomerIfSettled } from "./restore-customer";

export interface DunningRunResult {
  /** Customers with a failing invoice looked at. */
  customers: number;
  /** Stages acted on: `<customer>:<stage>`. */
  stages: string[];
  /** Subscriptions and invoices changed by the final action. */
  finalActions: number;
  restored: number;
}

const actor = systemActor("dunning");

/**
 * The dunning step, an idempotent function of (state, now): for each customer whose oldest
 * failing invoice (open, collected automatically, with a failed charge) has reached a stage not
 * yet acted on — reminder (day 3), warning (day 7), blocked (day 14) by `dunning.schedule_days`, in
 * calendar days of the customer's zone —
 * the customer's status moves forward (active → warning → blocked), with an audit entry and a
 * `customer.dunning.<stage>` event that is both the record of the step and what sends its email.
 * At the blocked stage the final action (`dunning.final_action`, `dunning.final_invoice_state`)
 * is applied to the failing invoices' subscriptions and invoices. Customers in warning/blocked
 * who owe nothing overdue any more are restored. A second run for the same `now` finds every
 * stage recorded and every final action applied, and changes nothing. `scope.customerId` limits
 * the run to one customer (the Inngest per-invoice dunning function).
 */
export async function runDunning(db: Db, now: Date, scope: Pick<CustomerScope, "testClockId" | "customerId"> = {}): Promise<DunningRunResult> {
  const schedule = await getSetting(db, "dunning.schedule_days");
  const finalAction = await getSetting(db, "dunning.final_action");
  const finalInvoiceState = await getSetting(db, "dunning.final_invoice_state");
  const failing = await failingInvoices(db, scope);
  const result: DunningRunResult = { customers: 0, stages: [], finalActions: 0, restored: 0 };
  const toCancel: string[] = [];

  for (const oldest of oldestPerCustomer(failing)) {
    const stage = dunningStage(oldest.firstFailureAt, now, oldest.timeZone, schedule);
    if (stageRank(stage) < stageRank("reminder")) continue;
    result.customers++;
    await db.transaction(async (tx) => {
      const customer = await lockCustomer(tx, oldest.customerId);
      if (!customer) return;
      const recorded = await recordedStage(tx, customer.id, oldest.invoiceId);
      if (stageRank(stage) > stageRank(recorded)) {
        const acted = stage as ActingStage;
        const status = escalate(customer.status, accessFor(acted));
        if (status !== customer.status) {
          await tx.update(customers).set({ status }).where(eq(customers.id, customer.id));
          entitlementsChanged(customer.id, { inTransaction: true });
        }
        await recordAudit(tx, actor, { action: `customer.dunning.${acted}`, entityType: "customer", entityId: customer.id, before: { status: customer.status }, after: { status, invoice: oldest.invoiceId } }, now);
        await enqueueEvent(
          tx,
          {
            type: `customer.dunning.${acted}`,
            customerId: customer.id,
            entityId: customer.id,
            payload: {
              customer: customer.id,
              invoice: oldest.invoiceId,
              stage: acted,
              status,
              first_failure_at: oldest.firstFailureAt.toISOString(),
              blocks_at: stageAt(oldest.firstFailureAt, "blocked", oldest.timeZone, schedule).toISOString(),
            },
          },
          now,
        );
        result.stages.push(`${customer.id}:${acted}`);
      }
      if (stage !== "blocked") return;
      // The final action, by state (so a run that died half-way is completed by the next one):
      // every failing invoice of the customer that is itself past the block date.
      const blocked = failing.filter((f) => f.customerId === customer.id && dunningStage(f.firstFailureAt, now, f.timeZone, schedule) === "blocked");
      for (const f of blocked) {
        const [invoice] = await tx.select({ subscriptionId: invoices.subscriptionId, status: invoices.status }).from(invoices).where(eq(invoices.id, f.invoiceId));
        if (invoice?.subscriptionId) {
          const [sub] = await tx.select().from(subscriptions).where(eq(subscriptions.id, invoice.subscriptionId)).for("update");
          const to = sub ? finalSubscriptionStatus(finalAction, sub.status) : null;
          if (sub && to === "unpaid") {
            await changeSubscriptionStatus(tx, actor, sub, "unpaid", "dunning: payment not recovered", now);
            result.finalActions++;
          } else if (sub && to === "canceled" && !toCancel.includes(sub.id)) {
            toCancel.push(sub.id);
          }
        }
        if (finalInvoiceState === "uncollectible" && invoice?.status === "open") {
          await markUncollectibleTx(tx, actor, f.invoiceId, now);
          result.finalActions++;
        }
      }
    });
  }

  // Cancelling has its own transaction (it settles the period's credit and pending items).
  for (const id of toCancel) {
    await cancelSubscription({ db, actor, now }, id, { atPeriodEnd: false, reason: "dunning: payment not recovered" });
    result.finalActions++;
  }

  // Customers held in warning/blocked whose overdue invoices were settled another way (voided, paid manually).
  const held = await db
    .select({ id: customers.id })
    .from(customers)
    .where(
      and(
        ne(customers.status, "active"),
        scope.customerId ? eq(customers.id, scope.customerId) : undefined,
        scope.testClockId ? eq(customers.testClockId, scope.testClockId) : scope.customerId ? undefined : isNull(customers.testClockId),
      ),
    );
  const stillFailing = new Set(failing.map((f) => f.customerId));
  for (const { id } of held.filter((h) => !stillFailing.has(h.id))) {
    if (await db.transaction((tx) => restoreCustomerIfSettled(tx, actor, id, now, null))) result.restored++;
  }
  return result;
}

/** The earliest dunning stage not yet acted on, due by `to`, among a test clock's customers; or null. */
export async function nextDunningDueOnClock(db: Db, testClockId: string, to: Date): Promise<Date | null> {
  const schedule = await getSetting(db, "dunning.schedule_days");
  let earliest: Date | null = null;
  for (const oldest of oldestPerCustomer(await failingInvoices(db, { testClockId }))) {
    const next = nextStage(oldest.firstFailureAt, await recordedStage(db, oldest.customerId, oldest.invoiceId), oldest.timeZone, schedule);
    if (next && next.at <= to && (!earliest || next.at < earliest)) earliest = next.at;
  }
  return earliest;
}

