import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, queryRows, type Db } from "@/db/client";
import { findPostgresError } from "@/db/queries/errors";
import { lockInvoice } from "@/db/queries/invoices";
import { applyChargeResult } from "@/lib/services/invoices/attempt-payment";
import { reconcilePayments } from "@/lib/services/payments/reconcile";
import { issueReceipt } from "@/lib/services/receipts/issue-receipt";
import { makeCatalog, pendingAfterLostAnswer, type Catalog } from "../fake-stripe/helpers";
import { withFakeStripe } from "../fake-stripe/with-fake-stripe";
import { ctx, NOW, paymentsOf } from "../services/support";

/**
 * lockInvoice's lock order: whoever locks an invoice and one of its payments takes the invoice
 * first. Each case holds the invoice in another transaction (as a credit note's refund does before
 * it takes the payments) and checks that the writer, now waiting, has not taken the payment: had it,
 * the refund's next step (the payment) would wait for the writer while the writer waits for the
 * invoice, and PostgreSQL would end one of them as a deadlock.
 */
const onPostgres = Boolean(process.env.DATABASE_URL);
const fake = withFakeStripe();
let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

/** Hold the invoice in a transaction of its own until `release` is called. */
function holdInvoice(invoiceId: string): { held: Promise<void>; release: () => void; done: Promise<void> } {
  let release!: () => void;
  let held!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const heldPromise = new Promise<void>((r) => (held = r));
  const done = db.transaction(async (tx) => {
    await lockInvoice(tx, invoiceId);
    held();
    await released;
  });
  return { held: heldPromise, release, done };
}

/** Wait until some other session waits for a row lock. */
async function someoneWaits(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`);
    if ((row?.n ?? 0) > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("nobody waited for the held invoice");
}

/** Whether the payment's row is free: another transaction can lock it without waiting. */
async function paymentIsFree(paymentId: string): Promise<boolean> {
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select id from payments where id = ${paymentId} for update nowait`);
    });
    return true;
  } catch (error) {
    // lock_not_available: someone holds it.
    if (findPostgresError(error, "55P03")) return false;
    throw error;
  }
}

async function writerWaitsForTheInvoiceFirst<T>(invoiceId: string, paymentId: string, write: () => Promise<T>): Promise<T> {
  const hold = holdInvoice(invoiceId);
  await hold.held;
  const writing = write();
  try {
    await someoneWaits();
    expect(await paymentIsFree(paymentId)).toBe(true);
  } finally {
    hold.release();
    await hold.done;
  }
  return writing;
}

describe("lock order: the invoice before its payment", () => {
  it.skipIf(!onPostgres)("a charge result (settleCharges) waits for the invoice before it takes the payment (needs PostgreSQL: PGlite has one session)", async () => {
    const { invoice, payment } = await pendingAfterLostAnswer(db, catalog, fake());
    const outcome = await writerWaitsForTheInvoiceFirst(invoice.id, payment.id, () => applyChargeResult(ctx(db), payment.id, { status: "succeeded", gatewayId: "pi_lock_order", fee: 30 }));
    expect(outcome.payment?.status).toBe("succeeded");
    expect(outcome.invoice.status).toBe("paid");
    expect((await paymentsOf(db, invoice.id))[0]?.status).toBe("succeeded");
  });

  it.skipIf(!onPostgres)("reconciliation waits for the invoice before it takes the payment (needs PostgreSQL)", async () => {
    const { invoice, payment } = await pendingAfterLostAnswer(db, catalog, fake());
    const summary = await writerWaitsForTheInvoiceFirst(invoice.id, payment.id, () => reconcilePayments(db, new Date(NOW.getTime() + 10 * 60_000)));
    expect(summary.settled).toBeGreaterThanOrEqual(1);
    expect((await paymentsOf(db, invoice.id))[0]?.status).toBe("succeeded");
  });

  it.skipIf(!onPostgres)("a receipt waits for the invoice before it takes the payment (needs PostgreSQL)", async () => {
    const { invoice, payment } = await pendingAfterLostAnswer(db, catalog, fake());
    await applyChargeResult(ctx(db), payment.id, { status: "succeeded", gatewayId: "pi_lock_order_receipt", fee: 30 });
    const issued = await writerWaitsForTheInvoiceFirst(invoice.id, payment.id, () => issueReceipt(db, payment.id, NOW));
    expect(issued?.receipt.paymentId).toBe(payment.id);
  });
});
