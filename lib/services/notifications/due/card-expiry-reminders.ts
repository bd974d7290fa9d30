import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { customers, paymentMethods } from "@/db/schema";
import { CardExpiringEmail, cardExpiringSubject } from "@/emails/card-expiring";
import { cardLabel, paymentMethodsUrl, sendTemplate } from "../facts";
import type { ReminderFilter } from "./trial-ending-reminders";
import { customerFormatter } from "@/lib/services/readers/formatters";

/**
 * Due work: customers whose default card expires at the end of next month (relative to `now`, in
 * UTC) are asked to update it. Idempotent: each email's key is `card_expiring:<card>:<yyyy-mm>`.
 */
export async function sendCardExpiryReminders(db: Db, now: Date, filter: ReminderFilter = {}): Promise<{ sent: number }> {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const year = next.getUTCFullYear();
  const month = next.getUTCMonth() + 1;
  const rows = await db
    .select({ method: paymentMethods, customer: customers })
    .from(customers)
    .innerJoin(paymentMethods, eq(paymentMethods.id, customers.defaultPaymentMethodId))
    .where(
      and(
        isNull(paymentMethods.detachedAt),
        eq(paymentMethods.expYear, year),
        eq(paymentMethods.expMonth, month),
        filter.testClockId ? eq(customers.testClockId, filter.testClockId) : isNull(customers.testClockId),
      ),
    );
  const yyyyMm = `${year}-${String(month).padStart(2, "0")}`;
  let sent = 0;
  for (const { method, customer } of rows) {
    const expiresMonth = (await customerFormatter(db, customer)).month(next);
    const props = { customerName: customer.name, cardLabel: cardLabel(method), expiresMonth, updateCardUrl: paymentMethodsUrl() };
    const eventId = `card_expiring:${method.id}:${yyyyMm}`;
    if (await sendTemplate(db, { component: CardExpiringEmail, props, subject: cardExpiringSubject(props), template: "card-expiring", eventId, customer })) sent++;
  }
  return { sent };
}
