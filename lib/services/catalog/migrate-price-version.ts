import { loadTaxSettings } from "../tax/tax-settings";
import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { priceMigrationRuns, subscriptions } from "@/db/schema";
import { findPriceWithPlan, type PlanRow, type PriceRow } from "@/db/queries/catalog";
import { migrationCandidates, type PriceMigrationRunRow } from "@/db/queries/catalog-admin";
import { customerNow, findCustomer } from "@/db/queries/customers";
import { recordAudit } from "@/lib/audit/record";
import type { SubscriptionItemTerms } from "@/lib/billing/types";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { loadSubscriptionState } from "../subscriptions/load-state";
import { saveSubscriptionState } from "../subscriptions/save-state";
import { toItemTerms } from "../subscriptions/item-terms";
import {
  MIGRATABLE_STATUSES,
  describeMigration,
  migrationTotals,
  sampleInvoice,
  scheduleMigration,
  type MigrationPrice,
  type MigrationTotals,
  type SampleInvoice,
} from "./price-migration-preview";

export interface PriceVersionPair {
  fromPriceId: string;
  toPriceId: string;
}

export const DEFAULT_BATCH_SIZE = 200;
export const DEFAULT_SAMPLE_SIZE = 5;

interface LoadedPair {
  plan: PlanRow;
  from: PriceRow;
  to: PriceRow;
  fromPrice: MigrationPrice & { version: number };
  toPrice: MigrationPrice & { version: number };
  toItem: SubscriptionItemTerms;
}

/**
 * Both versions exist, differ, belong to one plan and currency (so the interval and the
 * subscription's currency stay as they are), and are licensed (a metered price bills usage, which
 * has no list amount to preview).
 */
async function loadPair(tx: Executor, input: PriceVersionPair): Promise<LoadedPair> {
  const from = await findPriceWithPlan(tx, input.fromPriceId);
  if (!from) throw notFound("price", "fromPriceId");
  const to = await findPriceWithPlan(tx, input.toPriceId);
  if (!to) throw notFound("price", "toPriceId");
  const refuse = (userMessage: string): never => {
    throw new AppError("validation_failed", { param: "toPriceId", userMessage });
  };
  if (from.price.id === to.price.id) refuse("Choose a different version to move subscribers to.");
  if (from.plan.id !== to.plan.id) refuse("Subscribers move between versions of the same plan.");
  if (from.price.currency !== to.price.currency) refuse(`Choose a version in ${from.price.currency.toUpperCase()}: subscriptions keep their currency.`);
  if (from.price.usageType !== "licensed" || to.price.usageType !== "licensed") refuse("Metered prices bill usage and cannot be migrated in bulk here.");
  const terms = (row: { price: PriceRow; plan: PlanRow }) => toItemTerms(row.price, row.plan, 1);
  const interval = { unit: from.plan.interval, count: from.plan.intervalCount };
  return {
    plan: from.plan,
    from: from.price,
    to: to.price,
    fromPrice: { terms: terms(from).price, interval, version: from.price.version },
    toPrice: { terms: terms(to).price, interval, version: to.price.version },
    toItem: terms(to),
  };
}

export interface PriceMigrationPreview {
  from: PriceRow;
  to: PriceRow;
  totals: MigrationTotals;
  /** The confirmation's sentence, e.g. "42 subscriptions move from A$29.00 to A$35.00/month at their next renewal: MRR +A$252.00". */
  summary: string;
  /** A few of the moving subscriptions with their next invoice before → after, from the engine's upcoming-invoice step. */
  sample: SampleInvoice[];
}

/** What a migration would do, writing nothing. */
export async function previewPriceVersionMigration(ctx: ServiceContext, input: PriceVersionPair, opts: { sampleSize?: number } = {}): Promise<PriceMigrationPreview> {
  return ctx.db.transaction(async (tx) => {
    const pair = await loadPair(tx, input);
    const candidates = await migrationCandidates(tx, pair.from.id, { statuses: MIGRATABLE_STATUSES });
    const totals = migrationTotals(candidates, pair.fromPrice, pair.toPrice);
    const sample: SampleInvoice[] = [];
    const tax = await loadTaxSettings(tx);
    for (const candidate of candidates.slice(0, opts.sampleSize ?? DEFAULT_SAMPLE_SIZE)) {
      const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.id, candidate.id));
      const customer = row && (await findCustomer(tx, row.customerId));
      if (!row || !customer) continue;
      const state = await loadSubscriptionState(tx, row, customer, await customerNow(tx, customer, ctx.now));
      sample.push(sampleInvoice(customer, state, row.id, pair.from.id, pair.toItem, tax));
    }
    return { from: pair.from, to: pair.to, totals, summary: describeMigration(totals, pair.fromPrice, pair.toPrice), sample };
  });
}

/**
 * Move every subscription billing `fromPriceId` at its next renewal to `toPriceId`, from that
 * renewal on: no proration, the current period stays as paid. The move is the subscription's
 * pending change, which the renewal applies (and which the upcoming invoice already shows).
 *
 * Batches of `batchSize` subscriptions, one transaction each, holding their row locks; each move
 * is audited on its subscription and announced as customer.subscription.updated, and the run's
 * counters rise in the same transaction. A second run (or one after a crash) finds only what is
 * left: a moved subscription no longer bills the old version at its renewal.
 */
export async function migratePriceVersion(ctx: ServiceContext, input: PriceVersionPair & { batchSize?: number }): Promise<PriceMigrationRunRow> {
  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new AppError("out_of_range", { param: "batchSize", userMessage: "batchSize must be an integer from 1 to 10000." });
  }
  const { run, pair } = await ctx.db.transaction(async (tx) => {
    const pair = await loadPair(tx, input);
    const totals = migrationTotals(await migrationCandidates(tx, pair.from.id, { statuses: MIGRATABLE_STATUSES }), pair.fromPrice, pair.toPrice);
    const [run] = await tx
      .insert(priceMigrationRuns)
      .values({
        planId: pair.plan.id,
        fromPriceId: pair.from.id,
        toPriceId: pair.to.id,
        currency: pair.from.currency,
        status: "running",
        batchSize,
        mrrBefore: totals.mrrBefore,
        mrrAfter: totals.mrrAfter,
        preview: { subscriptions: totals.subscriptions, mrrBefore: totals.mrrBefore, mrrAfter: totals.mrrAfter },
        actorType: ctx.actor.type,
        actorId: ctx.actor.id,
        startedAt: ctx.now,
        createdAt: ctx.now,
      })
      .returning();
    if (!run) throw new Error("migration run insert returned nothing");
    await recordAudit(tx, ctx.actor, { action: "price_migration.started", entityType: "price_migration_run", entityId: String(run.id), after: run }, ctx.now, ctx.requestId);
    return { run, pair };
  });

  try {
    let cursor: string | undefined;
    for (;;) {
      const batch = await ctx.db.transaction(async (tx) => {
        const candidates = await migrationCandidates(tx, pair.from.id, { statuses: MIGRATABLE_STATUSES, afterId: cursor, limit: batchSize, lock: true });
        let moved = 0;
        let items = 0;
        let skipped = 0;
        for (const candidate of candidates) {
          const n = await moveSubscription(ctx, tx, candidate.id, pair, run.id);
          if (n === 0) skipped += 1;
          else {
            moved += 1;
            items += n;
          }
        }
        if (candidates.length > 0) {
          await tx
            .update(priceMigrationRuns)
            .set({
              batches: sql`${priceMigrationRuns.batches} + 1`,
              subscriptionsMoved: sql`${priceMigrationRuns.subscriptionsMoved} + ${moved}`,
              itemsMoved: sql`${priceMigrationRuns.itemsMoved} + ${items}`,
              subscriptionsSkipped: sql`${priceMigrationRuns.subscriptionsSkipped} + ${skipped}`,
            })
            .where(eq(priceMigrationRuns.id, run.id));
        }
        return { last: candidates.at(-1)?.id, full: candidates.length === batchSize };
      });
      cursor = batch.last;
      if (!batch.full) break;
    }
  } catch (error) {
    await ctx.db
      .update(priceMigrationRuns)
      .set({ status: "failed", error: error instanceof Error ? error.message.slice(0, 500) : "unknown error", finishedAt: ctx.now })
      .where(eq(priceMigrationRuns.id, run.id));
    throw error;
  }

  return ctx.db.transaction(async (tx) => {
    const [done] = await tx.update(priceMigrationRuns).set({ status: "completed", finishedAt: ctx.now }).where(eq(priceMigrationRuns.id, run.id)).returning();
    if (!done) throw new Error("migration run vanished");
    await recordAudit(tx, ctx.actor, { action: "price_migration.completed", entityType: "price_migration_run", entityId: String(run.id), before: run, after: done }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "price.migration_completed", entityId: pair.from.id, payload: { from: pair.from.id, to: pair.to.id, run: done.id, subscriptions_moved: done.subscriptionsMoved } }, ctx.now);
    return done;
  });
}

/** One subscription, in the batch's transaction (its row is locked): how many items moved (0 = left as it was). */
async function moveSubscription(ctx: ServiceContext, tx: Executor, subscriptionId: string, pair: LoadedPair, runId: number): Promise<number> {
  const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId));
  const customer = row && (await findCustomer(tx, row.customerId));
  if (!row || !customer) return 0;
  const at = await customerNow(tx, customer, ctx.now);
  const state = await loadSubscriptionState(tx, row, customer, at);
  const planned = scheduleMigration(state, pair.from.id, pair.toItem);
  if (!planned) return 0;
  const saved = await saveSubscriptionState(tx, ctx.actor, row, state, planned.state, at, {}, ctx.applyMode);
  const refs = (items: SubscriptionItemTerms[]) => items.map((i) => ({ price: i.price.id, quantity: i.quantity }));
  const from = refs(state.pendingChange?.items ?? state.items);
  const to = refs(planned.state.pendingChange?.items ?? []);
  await recordAudit(
    tx,
    ctx.actor,
    {
      action: "subscription.price_migration_scheduled",
      entityType: "subscription",
      entityId: row.id,
      before: { items: refs(state.items), pending_change: row.pendingChange },
      after: { pending_change: saved.pendingChange, migration_run: runId, from_price: pair.from.id, to_price: pair.to.id },
    },
    ctx.now,
    ctx.requestId,
  );
  await enqueueEvent(
    tx,
    {
      type: "customer.subscription.updated",
      customerId: row.customerId,
      entityId: row.id,
      payload: { subscription: row.id, change: "price_migration_scheduled", from, to, effective_at: saved.pendingChange?.effective_at ?? null, migration_run: runId },
    },
    at,
  );
  return planned.itemsMoved;
}
