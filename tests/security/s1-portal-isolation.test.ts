/**
 * S1 (RELIABILITY.md): every portal server action, route handler and page, called by subscriber A
 * with customer B's ids, answers like a missing object and changes no byte of B's data, nor shows
 * any. The action modules, route handlers and pages are found on disk: a new one that this file
 * does not attack fails the test until it is added here.
 */
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb, type Db } from "@/db/client";
import { findCustomer } from "@/db/queries/customers";
import { invoices, payments, plans, subscriptions } from "@/db/schema";
import type { ActionState } from "@/lib/actions/validated-action";
import { systemActor } from "@/lib/actor";
import { appUrl } from "@/lib/env";
import type { ServiceContext } from "@/lib/services/context";
import { createCreditNote } from "@/lib/services/credit-notes/create-credit-note";
import { createCustomer } from "@/lib/services/customers/create-customer";
import { issueSetupConfirmation } from "@/lib/services/payment-methods/sandbox-card-setup";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { issueConfirmToken } from "@/lib/services/payments/sca/confirm-token";
import { createPortalSession } from "@/lib/services/portal/portal-sessions";
import { startCancellation } from "@/lib/services/retention/start-cancellation";
import { cancelSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { pauseSubscription } from "@/lib/services/subscriptions/pause-subscription";
import { updateSubscription } from "@/lib/services/subscriptions/update-subscription";
import { createUser } from "@/lib/services/users/create-user";
import { makeTiers } from "../retention/support";
import { customerSnapshot, digestOf, form, isNotFound, isRedirect, portalActionModules, portalPageModules, portalRouteModules, renderedText, ROOT } from "./support";
import { DAY_MS } from "@/lib/time";
import { issueReceipt } from "@/lib/services/receipts/issue-receipt";

// The request as Next would give it to a server action: same origin, signed in as `session.uid`.
const session = vi.hoisted(() => ({ uid: null as string | null }));
vi.mock("next/headers", () => {
  const origin = new URL(process.env.APP_URL ?? process.env.NEXTAUTH_URL ?? "http://localhost:3000");
  return {
    headers: async () => new Headers({ origin: origin.origin, host: origin.host, "x-tally-path": "/" }),
    cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false, set: () => undefined, delete: () => undefined }),
  };
});
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (session.uid ? { uid: session.uid } : null),
}));
// The confirm page opts into dynamic rendering; outside a request there is nothing to wait for.
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => undefined }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));
// No background job runs against this file's database while B's rows are compared.
vi.mock("@/lib/jobs/local-runner", () => ({ nudgeJob: () => undefined }));

type Action = (previous: ActionState, data: FormData) => Promise<ActionState>;

interface World {
  db: Db;
  ctx: ServiceContext;
  tiers: Awaited<ReturnType<typeof makeTiers>>;
  proCode: string;
  a: { userId: string; customerId: string; subscriptionId: string; invoiceId: string; cardId: string; creditNoteId: string; receiptId: string };
  b: {
    customerId: string;
    email: string;
    name: string;
    /** Active, on Pro. */
    active: string;
    /** Set to cancel at the period end. */
    canceling: string;
    paused: string;
    /** A downgrade to Starter scheduled for the period end. */
    scheduled: string;
    /** Incomplete: its first invoice waits for the bank's authentication. */
    incomplete: string;
    paidInvoiceId: string;
    paidInvoiceNumber: string;
    creditNoteId: string;
    /** The receipt of the paid invoice's payment. */
    receiptId: string;
    receiptNumber: string;
    openInvoiceId: string;
    openInvoiceNumber: string;
    hostedToken: string;
    scaPaymentId: string;
    visaId: string;
    mastercardId: string;
    mastercardGatewayId: string;
    attemptId: string;
    portalSessionUrl: string;
  };
}

let w: World;

/** Strings only B's data contains: none may appear in anything A is shown. */
function secretsOfB(): string[] {
  return [w.b.email, w.b.name, w.b.paidInvoiceNumber, w.b.openInvoiceNumber, w.b.receiptNumber, w.b.receiptId, w.b.hostedToken, w.b.mastercardGatewayId, "4444"];
}

beforeAll(async () => {
  const db = await getDb();
  const ctx: ServiceContext = { db, actor: systemActor("s1-test"), now: new Date() };
  const tiers = await makeTiers();
  const sub = (customerId: string, priceId = tiers.pro.priceId) => createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }] });

  // A: the signed-in subscriber, with a card and an active subscription of their own.
  const aCustomer = await createCustomer(ctx, { email: "alex.attacker@example.com", name: "Alex Attacker", currency: "aud", timezone: "Australia/Sydney", address: { country: "AU" } });
  const aCard = await attachPaymentMethod(ctx, { customerId: aCustomer.id, token: "pm_card_visa" });
  const aUser = await createUser(ctx, { email: aCustomer.email, role: "subscriber", customerId: aCustomer.id });
  const aSub = await sub(aCustomer.id);

  // B: the other customer, with something for every action to aim at.
  const name = "Blake Victim";
  const bCustomer = await createCustomer(ctx, { email: "blake.victim@example.com", name, currency: "aud", timezone: "Australia/Sydney", address: { country: "AU", line1: "1 Private Lane" } });
  await createUser(ctx, { email: bCustomer.email, role: "subscriber", customerId: bCustomer.id });
  const visa = await attachPaymentMethod(ctx, { customerId: bCustomer.id, token: "pm_card_visa" });
  const mastercard = await attachPaymentMethod(ctx, { customerId: bCustomer.id, token: "pm_card_mastercard" });
  const active = await sub(bCustomer.id);
  const canceling = await sub(bCustomer.id);
  await cancelSubscription(ctx, canceling.subscription.id, { atPeriodEnd: true });
  const paused = await sub(bCustomer.id);
  await pauseSubscription(ctx, paused.subscription.id, { resumesAt: new Date(ctx.now.getTime() + 30 * DAY_MS) });
  const scheduled = await sub(bCustomer.id);
  await updateSubscription(ctx, scheduled.subscription.id, { items: [{ priceId: tiers.starter.priceId, quantity: 1 }], prorationBehavior: "create_prorations", effective: "period_end" });
  const attempt = await startCancellation(ctx, { customerId: bCustomer.id, subscriptionId: active.subscription.id, reason: "too_expensive", reasonText: null });
  // Last, a card that always asks the bank: B's next subscription waits on authentication.
  await attachPaymentMethod(ctx, { customerId: bCustomer.id, token: "pm_card_authenticationRequired", makeDefault: true });
  const incomplete = await sub(bCustomer.id);
  const [scaPayment] = await db.select().from(payments).where(eq(payments.invoiceId, incomplete.invoice!.id));
  const [paidInvoice] = await db.select().from(invoices).where(eq(invoices.id, active.invoice!.id));
  const [openInvoice] = await db.select().from(invoices).where(eq(invoices.id, incomplete.invoice!.id));
  // A credit note on each side: B's is a target, A's own proves the handler serves.
  const bNote = await createCreditNote(ctx, { invoiceId: paidInvoice!.id, amount: 100, reason: "other", outcome: "out_of_band" });
  const aNote = await createCreditNote(ctx, { invoiceId: aSub.invoice!.id, amount: 100, reason: "other", outcome: "out_of_band" });
  const portal = await createPortalSession(ctx, { customerId: bCustomer.id });
  // Receipts of A's and B's paid first invoices.
  const receiptOf = async (invoiceId: string) => {
    const [paid] = await db.select().from(payments).where(and(eq(payments.invoiceId, invoiceId), eq(payments.status, "succeeded")));
    const issued = await issueReceipt(db, paid!.id, ctx.now);
    return issued!.receipt;
  };
  const aReceipt = await receiptOf(aSub.invoice!.id);
  const bReceipt = await receiptOf(active.invoice!.id);
  const [pro] = await db.select({ code: plans.code }).from(plans).where(eq(plans.id, tiers.pro.planId));

  w = {
    db,
    ctx,
    tiers,
    proCode: pro!.code,
    a: { userId: aUser.id, customerId: aCustomer.id, subscriptionId: aSub.subscription.id, invoiceId: aSub.invoice!.id, cardId: aCard.id, creditNoteId: aNote.id, receiptId: aReceipt.id },
    b: {
      customerId: bCustomer.id,
      email: bCustomer.email,
      name,
      active: active.subscription.id,
      canceling: canceling.subscription.id,
      paused: paused.subscription.id,
      scheduled: scheduled.subscription.id,
      incomplete: incomplete.subscription.id,
      paidInvoiceId: paidInvoice!.id,
      paidInvoiceNumber: paidInvoice!.number!,
      creditNoteId: bNote.id,
      receiptId: bReceipt.id,
      receiptNumber: bReceipt.number,
      openInvoiceId: openInvoice!.id,
      openInvoiceNumber: openInvoice!.number!,
      hostedToken: openInvoice!.hostedToken!,
      scaPaymentId: scaPayment!.id,
      visaId: visa.id,
      mastercardId: mastercard.id,
      mastercardGatewayId: mastercard.gatewayId!,
      attemptId: attempt.id,
      portalSessionUrl: portal.url,
    },
  };
  // The states the attacks rely on really hold for B.
  const states = await db.select({ id: subscriptions.id, status: subscriptions.status, cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd, pendingChange: subscriptions.pendingChange }).from(subscriptions).where(eq(subscriptions.customerId, bCustomer.id));
  const byId = new Map(states.map((s) => [s.id, s]));
  expect(byId.get(w.b.active)?.status).toBe("active");
  expect(byId.get(w.b.canceling)?.cancelAtPeriodEnd).toBe(true);
  expect(byId.get(w.b.paused)?.status).toBe("paused");
  expect(byId.get(w.b.scheduled)?.pendingChange).toBeTruthy();
  expect(byId.get(w.b.incomplete)?.status).toBe("incomplete");
  expect(scaPayment?.status).toBe("requires_action");
  expect(openInvoice?.status).toBe("open");
  expect(attempt.offer).toBeTruthy();
  session.uid = w.a.userId;
});

afterEach(() => {
  session.uid = w?.a.userId ?? null;
});

// ---------------------------------------------------------------------------------------------
// Server actions

/** One call of an action by A aimed at B, and the refusal A must get. */
interface Attack {
  name: string;
  call: (action: (...args: never[]) => Promise<ActionState>) => Promise<ActionState>;
  /** The words of the refusal; "own_only" for an action that takes no id and acts on A alone. */
  refusal: RegExp | "own_only";
}

const NOT_FOUND = /^(No such [a-z ]+\.|We couldn't find that invoice on your account\.|Choose one of your saved cards\.)$/;
const viaForm = (fields: () => Record<string, string | number>) => (action: (...args: never[]) => Promise<ActionState>) => (action as unknown as Action)({}, form(fields()));

/**
 * Every exported action of every subscriber-facing actions module, and how A aims it at B. Keys are
 * paths relative to the checkout; an action module or export missing here fails the inventory test.
 */
const attacks: Record<string, Record<string, Attack[]>> = {
  "app/(portal)/overview-actions.ts": {
    pauseAction: [{ name: "pause B's active subscription", call: viaForm(() => ({ subscriptionId: w.b.active, months: 1 })), refusal: NOT_FOUND }],
    resumeAction: [{ name: "resume B's paused subscription", call: viaForm(() => ({ subscriptionId: w.b.paused })), refusal: NOT_FOUND }],
    reactivateAction: [{ name: "keep B's canceling subscription", call: viaForm(() => ({ subscriptionId: w.b.canceling })), refusal: NOT_FOUND }],
    undoScheduledChangeAction: [{ name: "undo B's scheduled downgrade", call: viaForm(() => ({ subscriptionId: w.b.scheduled })), refusal: NOT_FOUND }],
  },
  "app/(portal)/subscription/change/actions.ts": {
    applyChangeAction: [
      {
        name: "move B's subscription to Starter",
        call: viaForm(() => ({ subscriptionId: w.b.active, priceId: w.tiers.starter.priceId, quantity: 1, prorationDate: new Date().toISOString(), expectedAmountDue: 0 })),
        refusal: NOT_FOUND,
      },
    ],
  },
  "app/(portal)/subscription/cancel/actions.ts": {
    startCancellationAction: [{ name: "start canceling B's subscription", call: viaForm(() => ({ subscriptionId: w.b.active, reason: "not_using" })), refusal: NOT_FOUND }],
    acceptOfferAction: [{ name: "accept the offer in B's cancel attempt", call: viaForm(() => ({ attemptId: w.b.attemptId })), refusal: NOT_FOUND }],
    confirmCancellationAction: [{ name: "confirm B's cancel attempt", call: viaForm(() => ({ attemptId: w.b.attemptId })), refusal: NOT_FOUND }],
  },
  "app/(portal)/payment-methods/actions.ts": {
    makeDefaultAction: [{ name: "make B's Mastercard the default", call: viaForm(() => ({ payment_method: w.b.mastercardId })), refusal: NOT_FOUND }],
    removeCardAction: [
      { name: "remove B's Visa", call: viaForm(() => ({ payment_method: w.b.visaId })), refusal: NOT_FOUND },
      { name: "remove B's Mastercard by its gateway id", call: viaForm(() => ({ payment_method: w.b.mastercardGatewayId })), refusal: NOT_FOUND },
    ],
  },
  "app/(portal)/payment-methods/add/actions.ts": {
    addCardAction: [
      // B's saved card, named by its gateway id, is not a card A can save: the gateway refuses it.
      { name: "save B's Mastercard to A", call: viaForm(() => ({ token: w.b.mastercardGatewayId, make_default: "on" })), refusal: /test card/i },
      // The bank's confirm step issued to B cannot save a card for A.
      {
        name: "replay B's card-setup confirmation",
        call: viaForm(() => ({ token: "pm_card_authenticationRequiredOnSetup", confirmation: issueSetupConfirmation(w.b.customerId, "pm_card_authenticationRequiredOnSetup", new Date()) })),
        refusal: /did not confirm this card/,
      },
    ],
    // Creates a SetupIntent for the signed-in customer only (no id in the form); with the sandbox there is none.
    startCardSetupAction: [{ name: "start a card setup while naming B", call: viaForm(() => ({ customerId: w.b.customerId })), refusal: "own_only" }],
  },
  "app/(portal)/checkout/[plan]/actions.ts": {
    subscribeAction: [
      { name: "subscribe with B's Mastercard", call: viaForm(() => ({ priceId: w.tiers.starter.priceId, token: w.b.mastercardGatewayId })), refusal: /./ },
      { name: "subscribe naming B's subscription as the price", call: viaForm(() => ({ priceId: w.b.active })), refusal: /./ },
    ],
    startCardSetupAction: [{ name: "start a card setup while naming B", call: viaForm(() => ({ customerId: w.b.customerId })), refusal: "own_only" }],
  },
  "app/(portal)/billing/actions.ts": {
    // The form has no customer field: extra fields naming B are ignored and only A's details change.
    saveBillingDetailsAction: [],
  },
  "app/(portal)/invoices/[id]/actions.ts": {
    payInvoiceAction: [
      { name: "pay B's open invoice with A's card", call: viaForm(() => ({ invoiceId: w.b.openInvoiceId })), refusal: NOT_FOUND },
      { name: "pay A's invoice with B's card", call: viaForm(() => ({ invoiceId: w.a.invoiceId, paymentMethodId: w.b.mastercardId })), refusal: NOT_FOUND },
    ],
  },
  "app/(portal)/privacy/actions.ts": {
    // Deletes the signed-in customer only: B's email typed as the confirmation is refused.
    deleteAccountAction: [{ name: "delete with B's email as the confirmation", call: viaForm(() => ({ confirm: w.b.email, customerId: w.b.customerId })), refusal: /^That doesn't match\./ }],
  },
  "app/(public)/pay/[token]/actions.ts": {
    confirmPaymentAction: [
      {
        name: "confirm B's payment with a token whose body was swapped for B's payment",
        call: (action) => {
          const mine = issueConfirmToken("pay_notB", new Date()).token;
          const body = Buffer.from(`${w.b.scaPaymentId}.${Math.floor(Date.now() / 1000) + 3600}`).toString("base64url");
          return (action as unknown as (t: string, p: ActionState) => Promise<ActionState>)(`${body}.${mine.split(".")[1]}`, {});
        },
        refusal: /^This payment link is not valid\.$/,
      },
      {
        name: "confirm B's payment with its link's last character changed (A↔B: the same signature bytes, spelled differently)",
        call: (action) => {
          const token = issueConfirmToken(w.b.scaPaymentId, new Date()).token;
          const tampered = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
          return (action as unknown as (t: string, p: ActionState) => Promise<ActionState>)(tampered, {});
        },
        refusal: /^This payment link is not valid\.$/,
      },
      {
        name: "confirm B's payment with a character in its link's signature changed",
        call: (action) => {
          const token = issueConfirmToken(w.b.scaPaymentId, new Date()).token;
          const at = token.length - 10;
          const tampered = token.slice(0, at) + (token[at] === "x" ? "y" : "x") + token.slice(at + 1);
          return (action as unknown as (t: string, p: ActionState) => Promise<ActionState>)(tampered, {});
        },
        refusal: /^This payment link is not valid\.$/,
      },
      {
        name: "confirm B's payment with an expired link",
        call: (action) => (action as unknown as (t: string, p: ActionState) => Promise<ActionState>)(issueConfirmToken(w.b.scaPaymentId, new Date(Date.now() - 8 * DAY_MS)).token, {}),
        refusal: /^This payment link has expired\./,
      },
    ],
  },
};

/** Modules present only on some branches are attacked when they exist. */
const exists = (rel: string) => portalActionModules().includes(rel) || portalRouteModules().includes(rel);

async function load(rel: string): Promise<Record<string, unknown>> {
  return (await import(/* @vite-ignore */ path.join(ROOT, rel))) as Record<string, unknown>;
}

describe("S1 inventory", () => {
  it("attacks every exported action of every subscriber-facing actions module", async () => {
    const modules = portalActionModules();
    expect(modules.length).toBeGreaterThanOrEqual(8);
    const missing: string[] = [];
    for (const rel of modules) {
      const covered = attacks[rel];
      if (!covered) {
        missing.push(`${rel} (the whole module)`);
        continue;
      }
      const mod = await load(rel);
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value === "function" && !(name in covered)) missing.push(`${rel}: ${name}`);
      }
    }
    expect(missing, "server actions with no S1 attack in tests/security/s1-portal-isolation.test.ts").toEqual([]);
  });

  it("attacks every subscriber-facing route handler and page", () => {
    const routesMissing = portalRouteModules().filter((rel) => !(rel in routeAttacks));
    expect(routesMissing, "route handlers with no S1 attack").toEqual([]);
    const pagesMissing = portalPageModules().filter((rel) => !(rel in pageParams));
    expect(pagesMissing, "pages with no S1 check").toEqual([]);
  });
});

describe("S1: A's server actions aimed at B's ids", () => {
  it("the harness really signs A in: A pausing A's own subscription succeeds (a redirect to the overview)", async () => {
    const { pauseAction } = (await load("app/(portal)/overview-actions.ts")) as { pauseAction: Action };
    const before = await customerSnapshot(w.db, w.b.customerId);
    const outcome = await pauseAction({}, form({ subscriptionId: w.a.subscriptionId, months: 1 })).then(
      (state) => ({ state }),
      (error: unknown) => ({ error }),
    );
    expect("error" in outcome && isRedirect(outcome.error), JSON.stringify(outcome)).toBe(true);
    expect(digestOf("error" in outcome ? outcome.error : null)).toMatch(/^NEXT_REDIRECT;\w+;\/;/);
    expect(await customerSnapshot(w.db, w.b.customerId)).toEqual(before);
  });

  const cases = Object.entries(attacks).flatMap(([rel, byExport]) => Object.entries(byExport).flatMap(([exportName, list]) => list.map((attack) => ({ rel, exportName, attack }))));
  it.each(cases)("$rel $exportName: $attack.name → refused, B unchanged", async ({ rel, exportName, attack }) => {
    if (!exists(rel)) return;
    const mod = await load(rel);
    const action = mod[exportName] as (...args: never[]) => Promise<ActionState>;
    expect(typeof action).toBe("function");
    const before = await customerSnapshot(w.db, w.b.customerId);
    const outcome = await attack.call(action).then(
      (state) => ({ state }),
      (error: unknown) => ({ error }),
    );
    // Refused in words (not a redirect to success, not a crash), like a missing object.
    expect("state" in outcome, `threw ${digestOf("error" in outcome ? outcome.error : null) || String("error" in outcome ? outcome.error : "")}`).toBe(true);
    const state = (outcome as { state: ActionState }).state;
    if (attack.refusal === "own_only") {
      expect(state.error).toBeUndefined();
    } else {
      expect(state.ok).not.toBe(true);
      expect(state.error).toMatch(attack.refusal);
      expect(state.error).not.toMatch(/sign in again|own pages|role does not allow/i);
    }
    const shown = JSON.stringify(state);
    for (const secret of secretsOfB()) expect(shown).not.toContain(secret);
    expect(await customerSnapshot(w.db, w.b.customerId)).toEqual(before);
  });

  it("billing details: a form naming B's customer saves A's details only", async () => {
    const { saveBillingDetailsAction } = (await load("app/(portal)/billing/actions.ts")) as { saveBillingDetailsAction: Action };
    const before = await customerSnapshot(w.db, w.b.customerId);
    const state = await saveBillingDetailsAction(
      {},
      form({ customerId: w.b.customerId, customer: w.b.customerId, id: w.b.customerId, name: "Alex Renamed", email: "alex.renamed@example.com", line1: "", line2: "", city: "", state: "", postal_code: "", country: "AU", tax_id_type: "", tax_id: "" }),
    );
    expect(state.ok).toBe(true);
    expect((await findCustomer(w.db, w.a.customerId))?.name).toBe("Alex Renamed");
    expect(await customerSnapshot(w.db, w.b.customerId)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// Route handlers

type RouteCheck = (mod: Record<string, unknown>) => Promise<void>;

const routeAttacks: Record<string, RouteCheck> = {
  "app/portal/session/[token]/route.ts": async (mod) => {
    const GET = mod.GET as (r: NextRequest, c: { params: Promise<{ token: string }> }) => Promise<Response>;
    const token = new URL(w.b.portalSessionUrl).pathname.split("/").pop()!;
    for (const forged of [token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"), token.toLowerCase() === token ? token.toUpperCase() : token.toLowerCase(), `${token}x`]) {
      const response = await GET(new NextRequest(`${appUrl()}/portal/session/${forged}`), { params: Promise.resolve({ token: forged }) });
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toContain("/sign-in?error=PortalLinkExpired");
      expect(response.headers.get("set-cookie") ?? "").not.toContain("session-token");
    }
  },
  "app/(portal)/invoices/[id]/pdf/route.ts": async (mod) => {
    const GET = mod.GET as (r: Request, c: { params: Promise<{ id: string }> }) => Promise<Response>;
    for (const id of [w.b.paidInvoiceId, w.b.openInvoiceId, "in_does_not_exist"]) {
      const response = await GET(new Request(`${appUrl()}/invoices/${id}/pdf`), { params: Promise.resolve({ id }) });
      expect(response.status).toBe(404);
      const body = await response.text();
      expect(body).toBe("Not found");
    }
    // A's own invoice is served: the 404s above are about ownership, not a broken handler.
    const own = await GET(new Request(`${appUrl()}/invoices/${w.a.invoiceId}/pdf`), { params: Promise.resolve({ id: w.a.invoiceId }) });
    expect(own.status).toBe(200);
  },
  "app/(portal)/credit-notes/[id]/pdf/route.ts": async (mod) => {
    const GET = mod.GET as (r: Request, c: { params: Promise<{ id: string }> }) => Promise<Response>;
    for (const id of [w.b.creditNoteId, "cn_does_not_exist"]) {
      const response = await GET(new Request(`${appUrl()}/credit-notes/${id}/pdf`), { params: Promise.resolve({ id }) });
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("Not found");
    }
    const own = await GET(new Request(`${appUrl()}/credit-notes/${w.a.creditNoteId}/pdf`), { params: Promise.resolve({ id: w.a.creditNoteId }) });
    expect(own.status).toBe(200);
    expect(own.headers.get("content-type")).toBe("application/pdf");
  },
  "app/(public)/i/[token]/pdf/route.ts": async (mod) => {
    const GET = mod.GET as (r: Request, c: { params: Promise<{ token: string }> }) => Promise<Response>;
    const token = w.b.hostedToken;
    // The hosted link is the secret: a token A could guess or forge from it is a 404.
    for (const forged of [`${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}`, token.toLowerCase() === token ? token.toUpperCase() : token.toLowerCase(), `${token}x`, ""]) {
      const response = await GET(new Request(`${appUrl()}/i/${forged}/pdf`), { params: Promise.resolve({ token: forged }) });
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("Not found");
    }
    // Whoever holds the real link gets the PDF, as they get the hosted page.
    const real = await GET(new Request(`${appUrl()}/i/${token}/pdf`), { params: Promise.resolve({ token }) });
    expect(real.status).toBe(200);
  },
  "app/(portal)/receipts/[id]/pdf/route.ts": async (mod) => {
    const GET = mod.GET as (r: Request, c: { params: Promise<{ id: string }> }) => Promise<Response>;
    for (const id of [w.b.receiptId, "rcpt_does_not_exist"]) {
      const response = await GET(new Request(`${appUrl()}/receipts/${id}/pdf`), { params: Promise.resolve({ id }) });
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("Not found");
    }
    // A's own receipt is served: the 404s above are about ownership, not a broken handler.
    const own = await GET(new Request(`${appUrl()}/receipts/${w.a.receiptId}/pdf`), { params: Promise.resolve({ id: w.a.receiptId }) });
    expect(own.status).toBe(200);
    expect(own.headers.get("content-type")).toBe("application/pdf");
  },
  "app/(portal)/privacy/export/route.ts": async (mod) => {
    const GET = mod.GET as (r: Request) => Promise<Response>;
    const response = await GET(new Request(`${appUrl()}/privacy/export?customer=${w.b.customerId}&customerId=${w.b.customerId}`));
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain(w.a.customerId);
    expect(body).not.toContain(w.b.customerId);
    for (const secret of secretsOfB()) expect(body).not.toContain(secret);
  },
};

describe("S1: route handlers", () => {
  it.each(Object.keys(routeAttacks))("%s refuses B's ids and shows none of B's data", async (rel) => {
    if (!exists(rel)) return;
    const before = await customerSnapshot(w.db, w.b.customerId);
    await routeAttacks[rel]!(await load(rel));
    expect(await customerSnapshot(w.db, w.b.customerId)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// Pages

/**
 * For each page: the params and search params A tries with B's ids, and whether the page must
 * answer notFound (a page addressed by B's object) or render A's own data without any of B's.
 */
interface PageVariant {
  params?: Record<string, string>;
  search?: Record<string, string>;
  expect: "not_found" | "own";
}

const pageParams: Record<string, () => PageVariant[]> = {
  "app/(portal)/page.tsx": () => [{ search: { subscription: w.b.active, notice: "" }, expect: "own" }],
  "app/(portal)/plans/page.tsx": () => [{ search: { interval: "year" }, expect: "own" }],
  "app/(portal)/checkout/[plan]/page.tsx": () => [{ params: { plan: w.proCode }, search: { promo: w.b.active, subscription: w.b.incomplete }, expect: "own" }],
  "app/(portal)/subscription/change/page.tsx": () => [{ search: { price: w.tiers.starter.priceId, subscription: w.b.active, quantity: "2" }, expect: "own" }],
  "app/(portal)/subscription/cancel/page.tsx": (): PageVariant[] => [
    { search: { attempt: w.b.attemptId }, expect: "not_found" },
    { search: { attempt: w.b.attemptId, step: "confirm" }, expect: "not_found" },
    { search: { subscription: w.b.active }, expect: "own" },
  ],
  "app/(portal)/payment-methods/page.tsx": () => [{ search: { payment_method: w.b.mastercardId }, expect: "own" }],
  "app/(portal)/payment-methods/add/page.tsx": () => [{ search: { return: `/invoices/${w.b.openInvoiceId}` }, expect: "own" }],
  "app/(portal)/billing/page.tsx": () => [{ search: { customer: w.b.customerId }, expect: "own" }],
  "app/(portal)/invoices/page.tsx": () => [{ search: { customer: w.b.customerId, subscription: w.b.active }, expect: "own" }],
  "app/(portal)/invoices/[id]/page.tsx": (): PageVariant[] => [
    { params: { id: w.b.paidInvoiceId }, expect: "not_found" },
    { params: { id: w.b.openInvoiceId }, expect: "not_found" },
  ],
  "app/(portal)/receipts/page.tsx": () => [{ search: { customer: w.b.customerId }, expect: "own" }],
  "app/(portal)/privacy/page.tsx": () => [{ search: { customer: w.b.customerId }, expect: "own" }],
  "app/(portal)/usage/page.tsx": () => [{ search: { customer: w.b.customerId, subscription: w.b.active }, expect: "own" }],
  "app/(public)/sign-in/page.tsx": () => [{ search: { callbackUrl: `/invoices/${w.b.paidInvoiceId}` }, expect: "own" }],
  "app/(public)/sign-in/check-email/page.tsx": () => [{ search: { email: "someone@example.com" }, expect: "own" }],
  // Signed links: the token is the credential, so a tampered one shows nothing of B's.
  "app/(public)/i/[token]/page.tsx": (): PageVariant[] => [
    { params: { token: `${w.b.hostedToken.slice(0, -1)}${w.b.hostedToken.endsWith("a") ? "b" : "a"}` }, expect: "not_found" },
    { params: { token: w.b.openInvoiceId }, expect: "not_found" },
  ],
  "app/(public)/pay/[token]/page.tsx": (): PageVariant[] => {
    const token = issueConfirmToken(w.b.scaPaymentId, new Date()).token;
    return [
      { params: { token: token.slice(0, -1) + (token.endsWith("A") ? "B" : "A") }, expect: "own" },
      { params: { token: `${Buffer.from(`${w.b.scaPaymentId}.${Math.floor(Date.now() / 1000) + 3600}`).toString("base64url")}.${token.split(".")[1]}` }, expect: "own" },
      { params: { token: issueConfirmToken(w.b.scaPaymentId, new Date(Date.now() - 8 * DAY_MS)).token }, expect: "own" },
    ];
  },
};

describe("S1: pages", () => {
  it.each(Object.keys(pageParams))("%s with B's ids: not found, or A's page with none of B's data", async (rel) => {
    if (!portalPageModules().includes(rel)) return;
    const Page = (await load(rel)).default as (props: { params: Promise<Record<string, string>>; searchParams: Promise<Record<string, string>> }) => unknown;
    for (const variant of pageParams[rel]!()) {
      const before = await customerSnapshot(w.db, w.b.customerId);
      const props = { params: Promise.resolve(variant.params ?? {}), searchParams: Promise.resolve(variant.search ?? {}) };
      let text = "";
      let error: unknown = null;
      try {
        text = await renderedText(await Page(props));
      } catch (e) {
        error = e;
      }
      if (variant.expect === "not_found") {
        expect(isNotFound(error), `${rel} ${JSON.stringify(variant)} should be notFound, got ${error ? digestOf(error) || String(error) : "a page"}`).toBe(true);
      } else {
        if (error && !isRedirect(error)) throw error;
        if (!error) expect(text.length).toBeGreaterThan(0);
        for (const secret of [...secretsOfB(), w.b.customerId]) expect(text, `${rel} ${JSON.stringify(variant)} shows ${secret}`).not.toContain(secret);
      }
      expect(await customerSnapshot(w.db, w.b.customerId)).toEqual(before);
    }
  });

  it("A's own invoice page renders (the not-found answers above are about ownership)", async () => {
    const Page = (await load("app/(portal)/invoices/[id]/page.tsx")).default as (props: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string>> }) => unknown;
    const text = await renderedText(await Page({ params: Promise.resolve({ id: w.a.invoiceId }), searchParams: Promise.resolve({}) }));
    const [own] = await w.db.select().from(invoices).where(eq(invoices.id, w.a.invoiceId));
    expect(text).toContain(own!.number!);
  });
});
