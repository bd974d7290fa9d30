import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { Resend } from "resend";
import type { Db } from "@/db/client";
import { emails } from "@/db/schema";
import { env } from "@/lib/env";
import { withheldLinks } from "./secret-link";

let client: Resend | undefined;

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Resend's attachment shape: the content base64-encoded. */
  attachments?: { filename: string; content: string; contentType: string }[];
}

/**
 * Resend is constructed lazily: `new Resend()` throws without a key. The idempotency key names the
 * email and its content, so a retry of the same message is sent once, and a retry carrying a newly
 * issued link is a new request rather than a conflict with the refused one.
 */
export async function deliverWithResend(db: Db, id: string, message: OutgoingEmail): Promise<void> {
  const withheld = withheldLinks(message.text);
  if (withheld.length > 0) {
    await db.update(emails).set({ status: "failed" }).where(eq(emails.id, id));
    throw new Error(`Not sending email ${id}: its ${withheld.join(" and ")} was withheld from storage and cannot be sent from the stored copy; a new link has to be issued.`);
  }
  client ??= new Resend(env().RESEND_API_KEY);
  const content = createHash("sha256").update(`${message.to}\n${message.subject}\n${message.html}`).digest("hex").slice(0, 16);
  const { data, error } = await client.emails.send(message, { idempotencyKey: `email_${id}_${content}` });
  if (error) {
    await db.update(emails).set({ status: "failed" }).where(eq(emails.id, id));
    throw new Error(`Resend refused the email: ${error.message}`);
  }
  await db.update(emails).set({ status: "sent", providerId: data?.id ?? null, sentAt: new Date() }).where(eq(emails.id, id));
}
