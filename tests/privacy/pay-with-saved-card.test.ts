import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { invoices, payments } from "@/db/schema";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { payInvoice } from "@/lib/services/invoices/pay-invoice";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { ctx } from "../services/support";
import { makeCatalog, makeCustomer } from "../factories";

/** The portal's "Pay now" with another saved card: payInvoice's paymentMethodId. */
describe("paying an open invoice with a chosen saved card", () => {
  it("charges the chosen card, not the default, and refuses a card of another customer without charging", async () => {
    const db = await getDb();
    const c = ctx(db);
    const catalog = await makeCatalog(db);
    const customer = await makeCustomer(c, { card: "pm_card_chargeCustomerFail" });
    const { invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    const [open] = await db.select().from(invoices).where(eq(invoices.id, invoice!.id));
    expect(open?.status).toBe("open");
    const other = await attachPaymentMethod(c, { customerId: customer.id, token: "pm_card_mastercard" });
    const stranger = await makeCustomer(c);

    // The default card declines; a foreign card is refused before anything is charged.
    await expect(payInvoice(c, open!.id)).rejects.toMatchObject({ code: "payment_failed" });
    const attempts = (await db.select().from(payments).where(eq(payments.invoiceId, open!.id))).length;
    await expect(payInvoice(c, open!.id, { paymentMethodId: stranger.defaultPaymentMethodId! })).rejects.toMatchObject({ code: "not_found", param: "payment_method" });
    expect(await db.select().from(payments).where(eq(payments.invoiceId, open!.id))).toHaveLength(attempts);

    const { invoice: paid, payment } = await payInvoice(c, open!.id, { paymentMethodId: other.id });
    expect(paid.status).toBe("paid");
    expect(payment?.paymentMethodId).toBe(other.id);
    expect(payment?.status).toBe("succeeded");
    // Paying again is refused, never charged twice.
    await expect(payInvoice(c, open!.id, { paymentMethodId: other.id })).rejects.toMatchObject({ code: "conflict" });
  });
});
