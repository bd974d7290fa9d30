import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { EmailConfig } from "next-auth/providers/email";
import { getDb, type Db } from "@/db/client";
import { emails, outboxEvents } from "@/db/schema";
import { authOptions } from "@/lib/auth/options";
import { deliverWithResend } from "@/lib/email/resend";
import { dispatchOutbox } from "@/lib/events/outbox";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { verifyConfirmToken } from "@/lib/services/payments/sca/confirm-token";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { capturePrintedLinks } from "../services/printed-links";
import { ctx } from "../services/support";
import { makeCatalog, makeCustomer, type Catalog } from "../factories";

// S5 with Resend: the recipient gets the real link by email; Tally's record has it withheld, and
// nothing is ever sent from that record. A local server stands in for Resend's API.
interface Sent {
  idempotencyKey: string | undefined;
  body: { to: string; subject: string; html: string; text: string };
}
const sent: Sent[] = [];
let refuseNext = 0;
const fakeResend = http.createServer((req, res) => {
  let raw = "";
  req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
  req.on("end", () => {
    res.setHeader("content-type", "application/json");
    if (refuseNext > 0) {
      refuseNext -= 1;
      res.statusCode = 500;
      res.end(JSON.stringify({ name: "internal_server_error", message: "Resend is having a bad day", statusCode: 500 }));
      return;
    }
    sent.push({ idempotencyKey: req.headers["idempotency-key"] as string | undefined, body: JSON.parse(raw) as Sent["body"] });
    res.end(JSON.stringify({ id: `re_${sent.length}` }));
  });
});

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  await new Promise<void>((resolve) => fakeResend.listen(0, "127.0.0.1", resolve));
  process.env.RESEND_API_KEY = "re_test_fake";
  process.env.RESEND_BASE_URL = `http://127.0.0.1:${(fakeResend.address() as AddressInfo).port}`;
  db = await getDb();
  catalog = await makeCatalog(db);
});

afterAll(async () => {
  delete process.env.RESEND_API_KEY;
  delete process.env.RESEND_BASE_URL;
  await new Promise<void>((resolve) => fakeResend.close(() => resolve()));
});

describe("S5 with Resend: the real link is delivered, the record withholds it", () => {
  it("a sign-in link goes to the recipient through Resend, is stored withheld, and is not printed", async () => {
    const printed = capturePrintedLinks();
    const provider = authOptions.providers.find((p) => p.id === "email") as EmailConfig;
    const token = "c".repeat(64);
    const url = `http://localhost:3000/api/auth/callback/email?${new URLSearchParams({ callbackUrl: "/", token, email: "ann@example.test" })}`;
    await provider.sendVerificationRequest({ identifier: "ann@example.test", token, expires: new Date(Date.now() + 86_400_000), url, provider, theme: {} });

    const delivered = sent.filter((s) => s.body.to === "ann@example.test");
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.body.text).toContain(url);
    expect(delivered[0]?.body.html).toContain(token);
    const [row] = await db.select().from(emails).where(eq(emails.to, "ann@example.test"));
    expect(row).toMatchObject({ transport: "resend", status: "sent", providerId: "re_1" });
    expect(`${row?.html}${row?.text}`).not.toContain(token);
    expect(row?.text).toContain("[sign-in link withheld]");
    expect(printed.all()).toEqual([]);
  });

  it("when Resend refuses a payment-confirmation email, the retry sends a freshly signed link, never the withheld record", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: "pm_card_authenticationRequired", name: "Rae Retry" });
    await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });

    refuseNext = 1;
    await dispatchOutbox(db, outboxHandler(db));
    const [event] = await db.select().from(outboxEvents).where(and(eq(outboxEvents.customerId, customer.id), eq(outboxEvents.type, "invoice.payment_action_required")));
    expect(event?.dispatchedAt).toBeNull();
    expect(event?.lastError).toContain("Resend refused the email");
    const [failed] = await db.select().from(emails).where(eq(emails.to, customer.email));
    expect(failed).toMatchObject({ template: "payment-action-required", status: "failed" });

    // The outbox retries the event: the handler signs a new link and the same record is sent.
    await db.update(outboxEvents).set({ claimedUntil: null }).where(eq(outboxEvents.id, event?.id ?? ""));
    await dispatchOutbox(db, outboxHandler(db));
    const rows = await db.select().from(emails).where(eq(emails.to, customer.email));
    expect(rows.map((r) => [r.id, r.template, r.status])).toEqual([[failed?.id, "payment-action-required", "sent"]]);
    const delivered = sent.filter((s) => s.body.to === customer.email);
    expect(delivered).toHaveLength(1);
    const token = /\/pay\/([\w-]+\.[\w-]+)/.exec(delivered[0]?.body.text ?? "")?.[1] ?? "";
    expect(verifyConfirmToken(token, new Date())).toMatchObject({ ok: true });
    expect(`${rows[0]?.html}${rows[0]?.text}`).not.toContain(token);
    expect(rows[0]?.text).toContain("[payment confirmation link withheld]");
    expect(delivered[0]?.idempotencyKey).toMatch(new RegExp(`^email_${failed?.id}_[0-9a-f]{16}$`));
  });

  it("a withheld body handed to delivery is refused with a clear reason, and nothing is sent", async () => {
    const [row] = await db.select().from(emails).where(eq(emails.to, "ann@example.test"));
    if (!row) throw new Error("no stored email");
    const before = sent.length;
    await expect(deliverWithResend(db, row.id, { from: "billing@tally.test", to: row.to, subject: row.subject, html: row.html, text: row.text })).rejects.toThrow(
      /its sign-in link was withheld from storage and cannot be sent from the stored copy; a new link has to be issued/,
    );
    expect(sent.length).toBe(before);
    expect((await db.select().from(emails).where(eq(emails.id, row.id)))[0]?.status).toBe("failed");
  });
});
