import { z } from "zod";
import type { Executor } from "@/db/client";
import { findPlan } from "@/db/queries/catalog";
import { findRetentionOfferRow, listRetentionOfferRows } from "@/db/queries/retention";
import { retentionOffers } from "@/db/schema";
import { cancellationReasons, type CancellationReason, type RetentionOfferTerms } from "@/lib/billing/retention/vocabulary";
import { recordAudit } from "@/lib/audit/record";
import { AppError, notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { defaultOffers, MAX_DISCOUNT_MONTHS, MAX_PAUSE_MONTHS } from "@/lib/billing/retention/offer-policy";

const supportUrl = z
  .string()
  .trim()
  .max(500, "Keep the link under 500 characters.")
  .refine((url) => /^(https:\/\/[^\s]+|mailto:[^\s@]+@[^\s@]+)$/i.test(url), "Use an https:// link or a mailto: address.");

/** The one schema for an offer's terms: the console form and the service both check it. */
export const offerTermsSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("discount"),
    percent: z.number({ error: "Enter a percentage." }).int("Use a whole percentage.").min(1, "The discount is 1% to 100%.").max(100, "The discount is 1% to 100%."),
    months: z.number({ error: "Enter a number of months." }).int("Use whole months.").min(1, `Discount for 1 to ${MAX_DISCOUNT_MONTHS} months.`).max(MAX_DISCOUNT_MONTHS, `Discount for 1 to ${MAX_DISCOUNT_MONTHS} months.`),
  }),
  z.object({
    kind: z.literal("pause"),
    maxMonths: z.number({ error: "Choose how long a pause may last." }).int().min(1, `A pause lasts 1 to ${MAX_PAUSE_MONTHS} months.`).max(MAX_PAUSE_MONTHS, `A pause lasts 1 to ${MAX_PAUSE_MONTHS} months.`),
  }),
  z.object({ kind: z.literal("cheaper_plan"), planId: z.string().min(1).nullable() }),
  z.object({
    kind: z.literal("contact_support"),
    message: z.string().trim().min(1, "Write the message subscribers will see.").max(500, "Keep the message under 500 characters."),
    url: supportUrl.nullable(),
  }),
  z.object({ kind: z.literal("none") }),
]);

export interface OfferConfig {
  reason: CancellationReason;
  offer: RetentionOfferTerms;
  enabled: boolean;
  /** True when staff have not configured this reason: the built-in default applies. */
  isDefault: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
}

function fromRow(reason: CancellationReason, row: Awaited<ReturnType<typeof findRetentionOfferRow>>): OfferConfig {
  // A stored offer that no longer validates (e.g. edited by hand) falls back to the default rather than breaking the flow.
  const parsed = row ? offerTermsSchema.safeParse(row.offer) : null;
  if (!row || !parsed?.success) return { reason, offer: defaultOffers[reason], enabled: true, isDefault: true, updatedAt: row?.updatedAt ?? null, updatedBy: row?.updatedBy ?? null };
  return { reason, offer: parsed.data, enabled: row.enabled, isDefault: false, updatedAt: row.updatedAt, updatedBy: row.updatedBy };
}

export async function offerConfigFor(tx: Executor, reason: CancellationReason): Promise<OfferConfig> {
  return fromRow(reason, await findRetentionOfferRow(tx, reason));
}

/** Every reason, in survey order, configured or default. */
export async function offerConfigs(tx: Executor): Promise<OfferConfig[]> {
  const rows = new Map((await listRetentionOfferRows(tx)).map((r) => [r.reason, r]));
  return cancellationReasons.map((reason) => fromRow(reason, rows.get(reason)));
}

/** Staff change the offer for one reason: validated, and audited with before and after. */
export async function updateRetentionOffer(ctx: ServiceContext, reason: CancellationReason, input: { offer: unknown; enabled: boolean }): Promise<OfferConfig> {
  if (!cancellationReasons.includes(reason)) throw notFound("cancellation reason", "reason");
  const parsed = offerTermsSchema.safeParse(input.offer);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("validation_failed", { param: issue ? String(issue.path[0] ?? "kind") : "kind", userMessage: issue?.message ?? "Check the offer." });
  }
  const offer = parsed.data;
  return ctx.db.transaction(async (tx) => {
    if (offer.kind === "cheaper_plan" && offer.planId !== null) {
      const plan = await findPlan(tx, offer.planId);
      if (!plan || !plan.active) throw new AppError("validation_failed", { param: "planId", userMessage: "Choose an active plan, or the next cheaper plan." });
    }
    const before = await offerConfigFor(tx, reason);
    await tx
      .insert(retentionOffers)
      .values({ reason, offer, enabled: input.enabled, updatedAt: ctx.now, updatedBy: ctx.actor.id })
      .onConflictDoUpdate({ target: retentionOffers.reason, set: { offer, enabled: input.enabled, updatedAt: ctx.now, updatedBy: ctx.actor.id } });
    await recordAudit(
      tx,
      ctx.actor,
      { action: "retention_offer.updated", entityType: "retention_offer", entityId: reason, before: { offer: before.offer, enabled: before.enabled, default: before.isDefault }, after: { offer, enabled: input.enabled } },
      ctx.now,
      ctx.requestId,
    );
    return { reason, offer, enabled: input.enabled, isDefault: false, updatedAt: ctx.now, updatedBy: ctx.actor.id };
  });
}
