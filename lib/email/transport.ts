import type { Db } from "@/db/client";
import { emails } from "@/db/schema";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";

export interface EmailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
  template: string;
  /** The event that caused the email: with template and recipient, the key that stops a second send. */
  eventId?: string | null;
  customerId?: string | null;
}

/**
 * Every email is recorded in `emails`. With RESEND_API_KEY it is also sent through Resend;
 * without, the table is the mailbox shown at /admin/emails. Returns false when the same
 * (event, template, recipient) was already sent.
 */
export async function sendEmail(db: Db, message: EmailMessage): Promise<boolean> {
  const { RESEND_API_KEY, EMAIL_FROM } = env();
  const transport = RESEND_API_KEY ? "resend" : "outbox";
  const id = newId("email");
  const claimed = await db
    .insert(emails)
    .values({
      id,
      to: message.to,
      subject: message.subject,
      html: message.html,
      text: message.text,
      template: message.template,
      eventId: message.eventId ?? null,
      customerId: message.customerId ?? null,
      transport,
      status: transport === "outbox" ? "sent" : "queued",
      sentAt: transport === "outbox" ? new Date() : null,
    })
    .onConflictDoNothing()
    .returning({ id: emails.id });
  if (claimed.length === 0) return false;
  if (transport === "resend") {
    const { deliverWithResend } = await import("./resend");
    await deliverWithResend(db, id, { from: EMAIL_FROM, ...message });
  }
  return true;
}
