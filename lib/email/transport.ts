import { and, eq, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { emailAttachments, emails } from "@/db/schema";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import { assertNoSecret, printedLinkLine, type SecretBodies } from "./secret-link";

export interface EmailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
  template: string;
  /** The event that caused the email: with template and recipient, the key that stops a second send. */
  eventId?: string | null;
  customerId?: string | null;
  /** Set when the body carries a link only the recipient may hold (renderWithSecretLink). */
  secretLink?: SecretBodies["secretLink"];
  /** Files sent with it (a receipt's PDF): kept with the email, shown and served by the mailbox. */
  attachments?: readonly EmailAttachment[];
}

export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/**
 * Every email is recorded in `emails`. With RESEND_API_KEY it is also sent through Resend;
 * without, the table is the mailbox shown at /admin/emails. Returns false when the same
 * (event, template, recipient) was already sent.
 *
 * An email with a secret link is recorded with the link withheld: Resend delivers the real one
 * from the message in hand, and the mailbox prints it to the server log, once. Delivery never reads
 * the stored row, so a withheld body cannot be what is sent.
 */
export async function sendEmail(db: Db, message: EmailMessage): Promise<boolean> {
  const { RESEND_API_KEY, EMAIL_FROM } = env();
  const transport = RESEND_API_KEY ? "resend" : "outbox";
  const stored = message.secretLink ? message.secretLink.withheld : { html: message.html, text: message.text };
  if (message.secretLink) assertNoSecret(stored, message.secretLink);
  const claimed = await db
    .insert(emails)
    .values({
      id: newId("email"),
      to: message.to,
      subject: message.subject,
      html: stored.html,
      text: stored.text,
      template: message.template,
      eventId: message.eventId ?? null,
      customerId: message.customerId ?? null,
      transport,
      status: transport === "outbox" ? "sent" : "queued",
      sentAt: transport === "outbox" ? new Date() : null,
    })
    .onConflictDoNothing()
    .returning({ id: emails.id });
  let id = claimed[0]?.id;
  if (id && message.attachments?.length) await keepAttachments(db, id, message.attachments);
  if (!id && transport === "resend" && message.eventId) id = await unsentResendEmail(db, message, stored);
  if (!id) return false;
  if (transport === "outbox") {
    if (message.secretLink) console.log(printedLinkLine(message.to, message.secretLink));
    return true;
  }
  const { deliverWithResend } = await import("./resend");
  const attachments = message.attachments?.map((a) => ({ filename: a.filename, content: Buffer.from(a.content).toString("base64"), contentType: a.contentType }));
  await deliverWithResend(db, id, { from: EMAIL_FROM, to: message.to, subject: message.subject, html: message.html, text: message.text, ...(attachments?.length ? { attachments } : {}) });
  return true;
}

/** The email's files, in order, beside its row (recorded once with it: a second claim of the same email writes none). */
async function keepAttachments(db: Db, emailId: string, attachments: readonly EmailAttachment[]): Promise<void> {
  await db
    .insert(emailAttachments)
    .values(attachments.map((a, position) => ({ emailId, position, filename: a.filename, contentType: a.contentType, size: a.content.byteLength, content: Buffer.from(a.content) })))
    .onConflictDoNothing();
}

/**
 * The same email again after Resend refused it (or the process stopped mid-send): the caller's
 * message is sent in its place; for an email with a secret link that is a freshly issued link.
 */
async function unsentResendEmail(db: Db, message: EmailMessage, stored: { html: string; text: string }): Promise<string | undefined> {
  const [row] = await db
    .update(emails)
    .set({ subject: message.subject, html: stored.html, text: stored.text, status: "queued" })
    .where(and(eq(emails.eventId, message.eventId ?? ""), eq(emails.template, message.template), eq(emails.to, message.to), eq(emails.transport, "resend"), ne(emails.status, "sent")))
    .returning({ id: emails.id });
  return row?.id;
}
