import { createHash, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { EmailConfig } from "next-auth/providers/email";
import { getDb, queryRows, type Db } from "@/db/client";
import { emails } from "@/db/schema";
import { POST as createPortalSessionRoute } from "@/app/api/v1/portal_sessions/route";
import { tallyAdapter } from "@/lib/auth/adapter";
import { authOptions } from "@/lib/auth/options";
import { authSecret } from "@/lib/auth/secret";
import { dispatchOutbox } from "@/lib/events/outbox";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { verifyConfirmToken } from "@/lib/services/payments/sca/confirm-token";
import { redeemPortalSession } from "@/lib/services/portal/portal-sessions";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { inviteStaff } from "@/lib/services/users/staff";
import { call, newKey } from "../api/support";
import { capturePrintedLinks } from "../services/printed-links";
import { ctx } from "../services/support";
import { makeCatalog, makeCustomer, type Catalog } from "../factories";

// S5: a sign-in link, a portal link or a payment-confirmation link lets whoever holds it act as its
// recipient. Every staff role reads the mailbox, so none of them may be kept where staff can read
// them. On the embedded mailbox the recipient's copy is the one line printed to the server log.
delete process.env.RESEND_API_KEY;

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

/** Every row of every table, as text: what a database dump (or any page built from it) could show. */
async function everyRow(): Promise<string> {
  const tables = await queryRows<{ table_name: string }>(db, sql`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`);
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const rows = await queryRows<{ row: unknown }>(db, sql`select row_to_json(t)::text as row from ${sql.identifier(table_name)} t`);
    parts.push(...rows.map((r) => `${table_name}: ${String(r.row)}`));
  }
  return parts.join("\n");
}

/** What next-auth's email provider does when someone asks for a sign-in link (next-auth/core/lib/email/signin.js). */
async function requestSignInLink(email: string): Promise<string> {
  const provider = authOptions.providers.find((p) => p.id === "email") as EmailConfig;
  const token = randomBytes(32).toString("hex");
  const expires = new Date(Date.now() + 86_400_000);
  const url = `http://localhost:3000/api/auth/callback/email?${new URLSearchParams({ callbackUrl: "http://localhost:3000/admin", token, email })}`;
  await Promise.all([
    provider.sendVerificationRequest({ identifier: email, token, expires, url, provider, theme: {} }),
    tallyAdapter().createVerificationToken?.({ identifier: email, token: createHash("sha256").update(`${token}${authSecret()}`).digest("hex"), expires }),
  ]);
  return token;
}

describe("S5: secret links are never kept where staff can read them", () => {
  it("a sign-in link, a staff invitation, a portal session and a payment-confirmation link leave no usable token in any table; the printed links work", async () => {
    const printed = capturePrintedLinks();
    const c = ctx(db);

    // 1. The super admin asks for a sign-in link.
    const admin = "root-admin@example.test";
    const signInToken = await requestSignInLink(admin);

    // 2. A staff invitation: it points at the sign-in page and carries no token of its own.
    await inviteStaff(c, { email: "new-colleague@example.test", role: "support", invitedBy: "Root Admin" });

    // 3. A portal session made through the API: the link is the API's answer to the key holder only.
    const { key } = await newKey();
    const customer = await makeCustomer(c, { card: "pm_card_authenticationRequired", name: "Sasha Secure" });
    const portal = (await (await call(createPortalSessionRoute, { key, path: "/portal_sessions", body: { customer: customer.id } })).json()) as { url: string };
    const portalToken = new URL(portal.url).pathname.split("/").pop() ?? "";
    expect(portalToken).toMatch(/^[0-9A-Za-z]{43}$/);

    // 4. A payment that needs the bank's confirmation: the customer is emailed a signed /pay link.
    const { invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    await dispatchOutbox(db, outboxHandler(db));

    // No table holds any of the tokens: not the mailbox, the audit log, the outbox or anything else.
    const dump = await everyRow();
    expect(dump).toContain("root-admin@example.test");
    expect(dump).toContain("payment-action-required");
    for (const token of [signInToken, portalToken]) expect(dump).not.toContain(token);
    expect(dump).not.toMatch(/\/pay\/[\w-]+\.[\w-]+/);
    expect(dump).not.toContain("/api/auth/callback/email");

    // The recipients' copies are the printed lines.
    expect(new URL(printed.find(admin, "sign-in link")).searchParams.get("token")).toBe(signInToken);
    const payToken = new URL(printed.find(customer.email, "payment confirmation link")).pathname.replace(/^\/pay\//, "");
    expect(payToken).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(dump).not.toContain(payToken);

    // The mailbox has each email, with the link withheld and said so.
    const mailbox = await db.select().from(emails);
    const byTemplate = (template: string, to: string) => mailbox.find((m) => m.template === template && m.to === to);
    const signInEmail = byTemplate("magic-link", admin);
    expect(signInEmail?.text).toContain("[sign-in link withheld]");
    expect(signInEmail?.html).not.toContain("/api/auth/callback/email");
    expect(byTemplate("payment-action-required", customer.email)?.text).toContain("[payment confirmation link withheld]");
    expect(byTemplate("payment-action-required", customer.email)?.html).not.toContain("/pay/");
    const invite = byTemplate("staff-invite", "new-colleague@example.test");
    expect(invite?.text).toContain("/sign-in?callbackUrl=%2Fadmin");
    expect(invite?.text).not.toMatch(/token=/);

    // The printed links are the real ones: each still works for its recipient.
    const hashed = createHash("sha256").update(`${signInToken}${authSecret()}`).digest("hex");
    expect(await tallyAdapter().useVerificationToken?.({ identifier: admin, token: hashed })).toMatchObject({ identifier: admin });
    expect(verifyConfirmToken(payToken, new Date())).toMatchObject({ ok: true });
    expect(invoice?.id).toBeTruthy();
    expect(await redeemPortalSession(c, portalToken)).toMatchObject({ redirectPath: "/" });

    // Only the two secret links were printed, each once.
    expect(printed.all().map((l) => [l.purpose, l.to])).toEqual([
      ["sign-in link", admin],
      ["payment confirmation link", customer.email],
    ]);
  });

});
