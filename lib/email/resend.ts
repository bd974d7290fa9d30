import { eq } from "drizzle-orm";
import { Resend } from "resend";
import type { Db } from "@/db/client";
import { emails } from "@/db/schema";
import { env } from "@/lib/env";

let client: Resend | undefined;

/** Resend is constructed lazily: `new Resend()` throws without a key. */
export async function deliverWithResend(
  db: Db,
  id: string,
  message: { from: string; to: string; subject: string; html: string; text: string },
): Promise<void> {
  client ??= new Resend(env().RESEND_API_KEY);
  const { data, error } = await client.emails.send(message, { idempotencyKey: `email_${id}` });
  if (error) {
    await db.update(emails).set({ status: "failed" }).where(eq(emails.id, id));
    throw new Error(`Resend refused the email: ${error.message}`);
  }
  await db.update(emails).set({ status: "sent", providerId: data?.id ?? null, sentAt: new Date() }).where(eq(emails.id, id));
}
