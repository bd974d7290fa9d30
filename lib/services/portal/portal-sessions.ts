import { createHash } from "node:crypto";
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { customers, invoices, portalSessions, subscriptions, users, type PortalFlow } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { newId, randomToken } from "@/lib/ids";
import type { ServiceContext } from "../context";

/** A portal link lives 15 minutes and opens once. */
export const PORTAL_SESSION_TTL_MS = 15 * 60 * 1000;

export type PortalSessionRow = typeof portalSessions.$inferSelect;

export function hashPortalToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Where a flow lands inside the portal. */
export function portalFlowPath(flow: PortalFlow | null | undefined): string {
  switch (flow?.type) {
    case "payment_method_update":
      return "/payment-methods/add";
    case "subscription_cancel":
      return flow.subscription ? `/subscription/cancel?subscription=${encodeURIComponent(flow.subscription)}` : "/subscription/cancel";
    case "invoice_pay":
      return `/invoices/${encodeURIComponent(flow.invoice)}`;
    default:
      return "/";
  }
}

export interface CreatedPortalSession {
  session: PortalSessionRow;
  url: string;
}

/**
 * The SaaS asks for a link that signs its customer into the portal. The flow's objects must
 * belong to the customer; the return URL must be an absolute http(s) URL.
 */
export async function createPortalSession(
  ctx: ServiceContext,
  input: { customerId: string; returnUrl?: string | null; flow?: PortalFlow | null },
): Promise<CreatedPortalSession> {
  if (input.returnUrl != null) assertReturnUrl(input.returnUrl);
  return ctx.db.transaction(async (tx) => {
    const [customer] = await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, input.customerId));
    if (!customer) throw new AppError("not_found", { param: "customer", userMessage: `No customer ${input.customerId}.` });
    const flow = input.flow ?? null;
    if (flow?.type === "invoice_pay") {
      const [invoice] = await tx.select({ customerId: invoices.customerId, status: invoices.status }).from(invoices).where(eq(invoices.id, flow.invoice));
      if (!invoice || invoice.customerId !== customer.id) {
        throw new AppError("not_found", { param: "flow_data.invoice_pay.invoice", userMessage: `The customer has no invoice ${flow.invoice}.` });
      }
      if (invoice.status !== "open") {
        throw new AppError("validation_failed", { param: "flow_data.invoice_pay.invoice", userMessage: `Invoice ${flow.invoice} is ${invoice.status}; only an open invoice can be paid.` });
      }
    }
    if (flow?.type === "subscription_cancel" && flow.subscription) {
      const [sub] = await tx.select({ customerId: subscriptions.customerId }).from(subscriptions).where(eq(subscriptions.id, flow.subscription));
      if (!sub || sub.customerId !== customer.id) {
        throw new AppError("not_found", { param: "flow_data.subscription_cancel.subscription", userMessage: `The customer has no subscription ${flow.subscription}.` });
      }
    }
    const token = randomToken(43);
    const [session] = await tx
      .insert(portalSessions)
      .values({
        id: newId("portalSession"),
        customerId: customer.id,
        tokenHash: hashPortalToken(token),
        returnUrl: input.returnUrl ?? null,
        flow,
        createdBy: `${ctx.actor.type}:${ctx.actor.id}`,
        createdAt: ctx.now,
        expiresAt: new Date(ctx.now.getTime() + PORTAL_SESSION_TTL_MS),
      })
      .returning();
    if (!session) throw new Error("portal session insert returned nothing");
    // The token itself is never stored or logged.
    await recordAudit(tx, ctx.actor, { action: "portal_session.created", entityType: "customer", entityId: customer.id, after: { session: session.id, flow, returnUrl: session.returnUrl } }, ctx.now, ctx.requestId);
    return { session, url: `${appUrl()}/portal/session/${token}` };
  });
}

export interface RedeemedPortalSession {
  userId: string;
  redirectPath: string;
  returnUrl: string | null;
}

/**
 * Opening the link: marks it used (once, atomically), finds the customer's portal user (creating
 * one when the customer has never signed in) and says where to land.
 */
export async function redeemPortalSession(ctx: ServiceContext, token: string): Promise<RedeemedPortalSession> {
  return ctx.db.transaction(async (tx) => {
    const [session] = await tx
      .update(portalSessions)
      .set({ usedAt: ctx.now })
      .where(and(eq(portalSessions.tokenHash, hashPortalToken(token)), isNull(portalSessions.usedAt), gt(portalSessions.expiresAt, ctx.now)))
      .returning();
    if (!session) throw new AppError("not_found", { userMessage: "That billing link has expired or was already used." });
    const [customer] = await tx.select().from(customers).where(eq(customers.id, session.customerId));
    if (!customer) throw new AppError("not_found", { userMessage: "That billing link has expired or was already used." });
    const [existing] = await tx
      .select({ id: users.id, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(and(eq(users.customerId, customer.id), eq(users.role, "subscriber")))
      .orderBy(asc(users.createdAt), asc(users.id))
      .limit(1);
    if (existing?.deactivatedAt) throw new AppError("forbidden", { userMessage: "This billing account is closed." });
    let userId = existing?.id;
    if (!userId) {
      // The customer's email when no other account holds it; otherwise an address no one can
      // receive mail at, so the portal user can only ever arrive through a portal link.
      const wanted = customer.email?.trim().toLowerCase();
      const [taken] = wanted ? await tx.select({ id: users.id }).from(users).where(eq(users.email, wanted)) : [];
      const email = wanted && !taken ? wanted : `portal+${customer.id.toLowerCase()}@tally.invalid`;
      userId = newId("user");
      await tx.insert(users).values({ id: userId, email, name: customer.name, role: "subscriber", customerId: customer.id, createdAt: ctx.now });
      await recordAudit(tx, ctx.actor, { action: "user.created", entityType: "user", entityId: userId, after: { email, role: "subscriber", customerId: customer.id, via: "portal_session" } }, ctx.now, ctx.requestId);
    }
    await recordAudit(tx, { type: "user", id: userId, role: "subscriber", customerId: customer.id }, { action: "portal_session.redeemed", entityType: "customer", entityId: customer.id, after: { session: session.id } }, ctx.now, ctx.requestId);
    return { userId, redirectPath: portalFlowPath(session.flow), returnUrl: session.returnUrl };
  });
}

function assertReturnUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError("validation_failed", { param: "return_url", userMessage: "return_url must be an absolute URL, e.g. https://app.example.com/account." });
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new AppError("validation_failed", { param: "return_url", userMessage: "return_url must be an http or https URL." });
  }
}
