import { beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog, roles, type Role } from "@/db/schema";
import { can, type Permission } from "@/lib/auth/permissions";
import type { ActionState } from "@/lib/actions/validated-action";
import { staff } from "./support";

// The session is the only thing faked: requireUser, the permission table, the denial log and the
// actions themselves run for real against this file's database.
const session: { uid: string | null } = { uid: null };
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<typeof import("next-auth")>()), getServerSession: vi.fn(async () => (session.uid ? { uid: session.uid } : null)) }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ origin: "http://tally.test", host: "tally.test" }) }));

const subscriptions = await import("@/lib/actions/admin/customers/subscriptions");
const invoices = await import("@/lib/actions/admin/customers/invoices");
const payments = await import("@/lib/actions/admin/customers/payments");
const notes = await import("@/lib/actions/admin/customers/notes");

type Action = (state: ActionState, data: FormData) => Promise<ActionState>;
const customer = { customerId: "cus_does_not_exist" };
const sub = { ...customer, subscriptionId: "sub_does_not_exist" };
const inv = { ...customer, invoiceId: "in_does_not_exist" };

/** Every console action on the customer page, the permission it needs, and input that passes its schema. */
const cases: { name: string; action: Action; permission: Permission; input: Record<string, string> }[] = [
  { name: "preview a plan change", action: subscriptions.previewChangeAction, permission: "subscriptions.write", input: { ...sub, priceId: "price_x", quantity: "1", effective: "now", prorationBehavior: "always_invoice" } },
  { name: "change plan", action: subscriptions.changePlanAction, permission: "subscriptions.write", input: { ...sub, priceId: "price_x", quantity: "1", effective: "now", prorationBehavior: "always_invoice" } },
  { name: "cancel", action: subscriptions.cancelSubscriptionAction, permission: "subscriptions.write", input: { ...sub, when: "now", unused: "credit" } },
  { name: "pause", action: subscriptions.pauseSubscriptionAction, permission: "subscriptions.write", input: { ...sub, resumesOn: "" } },
  { name: "resume", action: subscriptions.resumeSubscriptionAction, permission: "subscriptions.write", input: sub },
  { name: "reactivate", action: subscriptions.reactivateSubscriptionAction, permission: "subscriptions.write", input: sub },
  { name: "apply a coupon", action: subscriptions.applyCouponAction, permission: "subscriptions.write", input: { ...sub, couponId: "cpn_x" } },
  { name: "void", action: invoices.voidInvoiceAction, permission: "invoices.void", input: inv },
  { name: "mark uncollectible", action: invoices.markUncollectibleAction, permission: "invoices.void", input: inv },
  { name: "resend", action: invoices.resendInvoiceAction, permission: "invoices.send", input: inv },
  { name: "retry payment now", action: invoices.retryPaymentAction, permission: "payments.retry", input: inv },
  { name: "issue a credit note", action: invoices.creditNoteAction, permission: "credit_notes.create", input: { ...inv, amount: "1.00", outcome: "credit", reason: "other" } },
  { name: "record a manual payment", action: invoices.manualPaymentAction, permission: "payments.record_manual", input: { ...inv, amount: "1.00", method: "bank_transfer" } },
  { name: "refund", action: payments.refundAction, permission: "refunds.create", input: { ...customer, paymentId: "py_does_not_exist", amount: "1.00" } },
  { name: "send a refund to billing admins", action: payments.escalateRefundAction, permission: "customers.escalate", input: { ...customer, paymentId: "py_does_not_exist", amount: "1.00" } },
  { name: "grant credit", action: payments.grantCreditAction, permission: "credit.grant", input: { ...customer, amount: "1.00", reason: "Goodwill" } },
  { name: "add a note", action: notes.addNoteAction, permission: "notes.write", input: { ...customer, body: "Hello" } },
  { name: "escalate", action: notes.escalateAction, permission: "customers.escalate", input: { ...customer, body: "Please look" } },
  { name: "resolve an escalation", action: notes.resolveEscalationAction, permission: "escalations.resolve", input: { ...customer, escalationId: "note_x", body: "Done" } },
];

const users = {} as Record<Role, string>;
const FORBIDDEN = "Your role does not allow this action.";

beforeAll(async () => {
  const db = await getDb();
  for (const role of roles) users[role] = (await staff(db, role)).userId;
});

function form(input: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(input)) data.set(key, value);
  return data;
}

async function denials(role: Role, permission: Permission): Promise<number> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "permission.denied"), eq(auditLog.entityId, permission), eq(auditLog.actorId, users[role])));
  return rows.length;
}

describe("customer page actions re-check the permission table on the server", () => {
  const matrix = cases.flatMap((c) => roles.map((role) => ({ ...c, role, allowed: can(role, c.permission) })));

  it.each(matrix)("$name as $role (allowed: $allowed)", async ({ action, permission, input, role, allowed }) => {
    session.uid = users[role];
    const before = await denials(role, permission);
    const result = await action({}, form(input));
    if (allowed) {
      // Past the permission check: refused only because the rows do not exist, nothing logged as denied.
      expect(result.error).toBeDefined();
      expect(result.error).not.toBe(FORBIDDEN);
      expect(result.ok).toBeUndefined();
      expect(await denials(role, permission)).toBe(before);
    } else {
      expect(result).toEqual({ error: FORBIDDEN, fieldErrors: undefined });
      expect(await denials(role, permission)).toBe(before + 1);
    }
  });

  it("finance viewers and subscribers may do none of them; support may not void, credit, record payments, grant or resolve", () => {
    expect(cases.filter((c) => can("finance_viewer", c.permission))).toEqual([]);
    expect(cases.filter((c) => can("subscriber", c.permission))).toEqual([]);
    expect(cases.filter((c) => !can("support", c.permission)).map((c) => c.name)).toEqual([
      "void",
      "mark uncollectible",
      "issue a credit note",
      "record a manual payment",
      "grant credit",
      "resolve an escalation",
    ]);
  });

  it("without a session, every action asks to sign in again", async () => {
    session.uid = null;
    for (const c of cases) expect(await c.action({}, form(c.input))).toMatchObject({ error: "Please sign in again." });
  });
});
