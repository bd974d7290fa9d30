import type { Executor } from "@/db/client";
import { findCreditNote, type CreditNoteWithLines } from "@/db/queries/credit-notes";
import { findCustomer, type CustomerRow } from "@/db/queries/customers";
import { findInvoice, type InvoiceWithLines } from "@/db/queries/invoices";
import { findSubscription, type SubscriptionView } from "@/db/queries/subscriptions";
import { findCoupon, findPromotionCode, type CouponRow, type PromotionCodeRow } from "@/db/queries/discounts";
import { activeMetersByCode, findMeter, type MeterRow } from "@/db/queries/usage";
import { notFound } from "@/lib/errors";

/** A key sees only objects of its own mode: a live object through a test key is simply not found. */
export async function customerForKey(tx: Executor, id: string, livemode: boolean, param = "id"): Promise<CustomerRow> {
  const customer = await findCustomer(tx, id);
  if (!customer || customer.livemode !== livemode) throw notFound("customer", param);
  return customer;
}

export async function couponForKey(tx: Executor, id: string, livemode: boolean, param = "id"): Promise<CouponRow> {
  const coupon = await findCoupon(tx, id);
  if (!coupon || coupon.livemode !== livemode) throw notFound("coupon", param);
  return coupon;
}

export async function promotionCodeForKey(tx: Executor, id: string, livemode: boolean, param = "id"): Promise<PromotionCodeRow> {
  const promotionCode = await findPromotionCode(tx, id);
  if (!promotionCode || promotionCode.livemode !== livemode) throw notFound("promotion code", param);
  return promotionCode;
}

/** A subscription through a key of the same mode, or 404 — the same answer for missing and foreign. */
export async function subscriptionForKey(tx: Executor, id: string, livemode: boolean): Promise<SubscriptionView> {
  const view = await findSubscription(tx, id);
  if (!view || view.livemode !== livemode) throw notFound("subscription", "id");
  return view;
}

/** An invoice (with its lines) through a key of the same mode, or 404. */
export async function invoiceForKey(tx: Executor, id: string, livemode: boolean, param = "id"): Promise<InvoiceWithLines> {
  const invoice = await findInvoice(tx, id);
  if (!invoice || invoice.livemode !== livemode) throw notFound("invoice", param);
  return invoice;
}

/** A credit note (with its lines) through a key of the same mode, or 404. */
export async function creditNoteForKey(tx: Executor, id: string, livemode: boolean, param = "id"): Promise<CreditNoteWithLines> {
  const note = await findCreditNote(tx, id);
  if (!note || note.livemode !== livemode) throw notFound("credit note", param);
  return note;
}

/** A meter version by id, or a code's current version, through a key of the same mode; or 404. */
export async function meterForKey(tx: Executor, idOrCode: string, livemode: boolean, param = "id"): Promise<MeterRow> {
  const meter = /^mtr_/.test(idOrCode) ? await findMeter(tx, idOrCode) : (await activeMetersByCode(tx, livemode, [idOrCode])).get(idOrCode);
  if (!meter || meter.livemode !== livemode) throw notFound("meter", param);
  return meter;
}
