import { eq } from "drizzle-orm";
import { decode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import { POST as createSession } from "@/app/api/v1/portal_sessions/route";
import { GET as openSession } from "@/app/portal/session/[token]/route";
import { systemActor } from "@/lib/actor";
import { authSecret } from "@/lib/auth/secret";
import { PORTAL_RETURN_COOKIE, returnLinkFrom } from "@/lib/portal/return-link";
import { createCustomer } from "@/lib/services/customers/create-customer";
import { createUser } from "@/lib/services/users/create-user";
import { PORTAL_SESSION_TTL_MS, portalFlowPath, redeemPortalSession } from "@/lib/services/portal/portal-sessions";
import { call, newKey, problemOf } from "../api/support";

const now = new Date("2026-11-21T00:00:00Z");

async function setup(email = `portal-${Math.random().toString(36).slice(2)}@example.com`) {
  const db = await getDb();
  const ctx = { db, actor: systemActor("test"), now };
  const customer = await createCustomer(ctx, { email, name: "Pat Portal", currency: "aud", timezone: "Australia/Sydney", address: { country: "AU" } });
  const { key } = await newKey();
  return { db, ctx, customer, key };
}

async function create(key: string, body: Record<string, unknown>) {
  return call(createSession, { method: "POST", key, path: "/portal_sessions", body });
}

function open(url: string) {
  const token = new URL(url).pathname.split("/").pop()!;
  return openSession(new NextRequest(url), { params: Promise.resolve({ token }) });
}

describe("portal sessions", () => {
  it("creates a single-use link that signs the customer in, creating their portal user once, and remembers the return URL", async () => {
    const { db, customer, key } = await setup();
    const response = await create(key, { customer: customer.id, return_url: "https://app.example.com/account" });
    expect(response.status).toBe(200);
    const session = (await response.json()) as { id: string; object: string; url: string; customer: string; expires_at: string; created: string; return_url: string };
    expect(session).toMatchObject({ object: "billing_portal.session", customer: customer.id, return_url: "https://app.example.com/account" });
    expect(session.id).toMatch(/^bps_/);
    expect(Date.parse(session.expires_at) - Date.parse(session.created)).toBe(PORTAL_SESSION_TTL_MS);
    expect(session.url).toMatch(/\/portal\/session\/[0-9A-Za-z]{43}$/);

    const opened = await open(session.url);
    expect(opened.status).toBe(303);
    expect(new URL(opened.headers.get("location")!).pathname).toBe("/");
    const cookie = opened.cookies.get("next-auth.session-token");
    expect(cookie?.httpOnly).toBe(true);
    const token = await decode({ token: cookie!.value, secret: authSecret() });
    const [user] = await db.select().from(users).where(eq(users.customerId, customer.id));
    expect(user).toMatchObject({ role: "subscriber", email: customer.email });
    expect(token?.uid).toBe(user!.id);
    expect(opened.cookies.get(PORTAL_RETURN_COOKIE)?.value).toBe("https://app.example.com/account");

    // Single use: the same link again goes to sign-in with a message, and no second session is minted.
    const again = await open(session.url);
    expect(again.headers.get("location")).toContain("/sign-in?error=PortalLinkExpired");
    expect(again.cookies.get("next-auth.session-token")).toBeUndefined();

    // A second link reuses the same portal user.
    const second = (await (await create(key, { customer: customer.id })).json()) as { url: string };
    await open(second.url);
    expect(await db.select().from(users).where(eq(users.customerId, customer.id))).toHaveLength(1);
    const audit = await db.select().from(auditLog).where(eq(auditLog.entityId, customer.id));
    expect(audit.filter((a) => a.action === "portal_session.redeemed")).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain(new URL(session.url).pathname.split("/").pop());
  });

  it("refuses an expired link", async () => {
    const { ctx, customer, key } = await setup();
    const session = (await (await create(key, { customer: customer.id })).json()) as { url: string };
    const token = new URL(session.url).pathname.split("/").pop()!;
    const later = { ...ctx, now: new Date(Date.now() + PORTAL_SESSION_TTL_MS + 1000) };
    await expect(redeemPortalSession(later, token)).rejects.toMatchObject({ code: "not_found" });
    // Still unused, so inside the window it works.
    await expect(redeemPortalSession({ ...ctx, now: new Date() }, token)).resolves.toMatchObject({ redirectPath: "/" });
  });

  it("lands on the requested flow and checks the flow's objects belong to the customer", async () => {
    const { customer, key } = await setup();
    const other = await setup();
    const update = (await (await create(key, { customer: customer.id, flow_data: { type: "payment_method_update" } })).json()) as { url: string; flow: unknown };
    expect(update.flow).toEqual({ type: "payment_method_update" });
    expect(new URL((await open(update.url)).headers.get("location")!).pathname).toBe("/payment-methods/add");

    const wrongInvoice = await create(key, { customer: customer.id, flow_data: { type: "invoice_pay", invoice_pay: { invoice: "in_doesnotexist" } } });
    expect(wrongInvoice.status).toBe(404);
    expect((await problemOf(wrongInvoice)).param).toBe("flow_data.invoice_pay.invoice");
    // One character more than a real id: never anyone's (changing its last character was the same id when it already ended so).
    const unknownCustomer = await create(key, { customer: `${other.customer.id}x` });
    expect(unknownCustomer.status).toBe(404);
    const badReturn = await create(key, { customer: customer.id, return_url: "javascript:alert(1)" });
    expect(badReturn.status).toBe(422);
    expect((await problemOf(badReturn)).param).toBe("return_url");
    expect(portalFlowPath({ type: "subscription_cancel", subscription: "sub_1" })).toBe("/subscription/cancel?subscription=sub_1");
    expect(portalFlowPath({ type: "invoice_pay", invoice: "in_1" })).toBe("/invoices/in_1");
  });

  it("never signs into another account that already holds the customer's email", async () => {
    const { db, ctx, customer, key } = await setup();
    // A staff member happens to use the same address: the portal user gets an address of its own.
    await createUser(ctx, { email: `staff-${customer.id.toLowerCase()}@example.com`, role: "support", name: "S" });
    const taken = await setup(`staff-${customer.id.toLowerCase()}@example.com`);
    const session = (await (await create(key, { customer: taken.customer.id })).json()) as { url: string };
    expect(taken.customer.id).not.toBe(customer.id);
    await open(session.url);
    const [portalUser] = await db.select().from(users).where(eq(users.customerId, taken.customer.id));
    expect(portalUser!.role).toBe("subscriber");
    expect(portalUser!.email).toBe(`portal+${taken.customer.id.toLowerCase()}@tally.invalid`);
  });

  it("shows the return link as 'Back to <host>' and ignores anything that is not http(s)", () => {
    expect(returnLinkFrom("https://www.acme.io/settings")).toEqual({ href: "https://www.acme.io/settings", label: "Back to acme.io" });
    expect(returnLinkFrom("javascript:alert(1)")).toBeNull();
    expect(returnLinkFrom(undefined)).toBeNull();
  });
});
