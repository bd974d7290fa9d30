import { beforeAll, describe, expect, it } from "vitest";
import { createElement } from "react";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { emails } from "@/db/schema";
import { ReceiptEmail, receiptSubject } from "@/emails/receipt";
import { MagicLinkEmail, magicLinkSubject } from "@/emails/magic-link";
import { renderEmail } from "@/emails/render";
import { sendEmail } from "@/lib/email/transport";

// These tests are about the embedded mailbox: make sure no Resend key leaks in from the shell.
delete process.env.RESEND_API_KEY;

let db: Db;

beforeAll(async () => {
  db = await getDb();
});

describe("email transport", () => {
  it("without RESEND_API_KEY stores the email in the mailbox as sent", async () => {
    const before = Date.now();
    const sent = await sendEmail(db, { to: "ann@example.test", subject: "Hello", html: "<p>Hi</p>", text: "Hi", template: "test-note", eventId: "evt_mailbox_1", customerId: "cus_x" });
    expect(sent).toBe(true);
    const rows = await db.select().from(emails).where(eq(emails.eventId, "evt_mailbox_1"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ to: "ann@example.test", subject: "Hello", html: "<p>Hi</p>", text: "Hi", template: "test-note", customerId: "cus_x", transport: "outbox", status: "sent", providerId: null });
    expect(rows[0]?.id).toMatch(/^em_/);
    expect(rows[0]?.sentAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it("the same (event, template, recipient) is sent once: the second call returns false and stores nothing", async () => {
    const message = { to: "bob@example.test", subject: "Receipt", html: "<p>1</p>", text: "1", template: "invoice-paid", eventId: "evt_dupe_1" };
    expect(await sendEmail(db, message)).toBe(true);
    expect(await sendEmail(db, { ...message, subject: "Receipt again", html: "<p>2</p>", text: "2" })).toBe(false);
    const rows = await db.select().from(emails).where(eq(emails.eventId, "evt_dupe_1"));
    expect(rows.map((r) => [r.to, r.template, r.subject])).toEqual([["bob@example.test", "invoice-paid", "Receipt"]]);

    // Another template or another recipient for the same event is a different email.
    expect(await sendEmail(db, { ...message, template: "invoice-paid-copy" })).toBe(true);
    expect(await sendEmail(db, { ...message, to: "carol@example.test" })).toBe(true);
    expect(await db.select().from(emails).where(eq(emails.eventId, "evt_dupe_1"))).toHaveLength(3);
  });
});

describe("email templates", () => {
  it("magic-link renders HTML and plain text containing the link", async () => {
    const url = "https://billing.example.test/api/auth/callback/email?token=tok_9f8e7d&email=dee%40example.test";
    const { html, text } = await renderEmail(createElement(MagicLinkEmail, { url, host: "billing.example.test" }));
    expect(magicLinkSubject).toBe("Your sign-in link for Tally");
    expect(html).toMatch(/^<!DOCTYPE html/i);
    expect(html).toContain(`href="${url.replace(/&/g, "&amp;")}"`);
    expect(html).toContain("billing.example.test");
    expect(text).toContain(url);
    expect(text).toContain("Sign in to Tally");
    expect(text).not.toContain("<");
  });

  it("the receipt renders HTML and plain text containing the amount, numbers, method and link", async () => {
    const props = {
      customerName: "Eve Example",
      receiptNumber: "RCT-000007",
      invoiceNumber: "TLY-000042",
      method: "Visa ending 4242",
      amountPaid: "$11.00",
      paidOn: "10 Mar 2026",
      lines: [{ description: "Starter", amount: "$10.00" }],
      tax: { label: "AU GST", amount: "$1.00" },
      invoiceUrl: "https://billing.example.test/i/hosted_token_123",
    };
    const { html, text } = await renderEmail(createElement(ReceiptEmail, props));
    expect(receiptSubject(props)).toBe("Receipt RCT-000007 for invoice TLY-000042");
    for (const body of [html, text]) {
      expect(body).toContain("RCT-000007");
      expect(body).toContain("Visa ending 4242");
      expect(body).toContain("$11.00");
      expect(body).toContain("TLY-000042");
      expect(body).toContain("Starter");
      expect(body).toContain("$10.00");
      expect(body).toContain("AU GST");
      expect(body).toContain("$1.00");
      expect(body).toContain("Hi Eve Example");
    }
    expect(html).toContain('href="https://billing.example.test/i/hosted_token_123"');
    expect(text).toContain("https://billing.example.test/i/hosted_token_123");
    expect(text).not.toContain("<td");
  });
});
