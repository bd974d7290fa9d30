import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { like } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { sandboxCharges } from "@/db/schema";
import { gateway } from "@/lib/payments";
import { sandboxGateway } from "@/lib/payments/sandbox/sandbox-gateway";
import { attemptInvoicePayment } from "@/lib/services/invoices/attempt-payment";
import { NOT_SUBMITTED, reconcilePayments } from "@/lib/services/payments/reconcile";
import { invoiceRow, makeCatalog, openInvoice, snapshot, type Catalog } from "../fake-stripe/helpers";
import { ctx, NOW, paymentsOf } from "../services/support";

// The janitor is gateway-agnostic: the same repairs with the embedded sandbox.
let db: Db;
let catalog: Catalog;
let savedKey: string | undefined;

beforeAll(async () => {
  savedKey = process.env.STRIPE_SECRET_KEY;
  delete process.env.STRIPE_SECRET_KEY;
  db = await getDb();
  catalog = await makeCatalog(db);
});
afterAll(() => {
  if (savedKey !== undefined) process.env.STRIPE_SECRET_KEY = savedKey;
});

const chargesFor = (invoiceId: string) => db.select().from(sandboxCharges).where(like(sandboxCharges.idempotencyKey, `inv_${invoiceId}_%`));

describe("reconcilePayments with the sandbox gateway", () => {
  it("R16: the sandbox charged but we crashed before committing — settled from the sandbox's ledger by idempotency key", async () => {
    expect(gateway().name).toBe("sandbox");
    const { invoice } = await openInvoice(db, catalog);
    const real = sandboxGateway.charge.bind(sandboxGateway);
    vi.spyOn(sandboxGateway, "charge").mockImplementationOnce(async (request) => {
      await real(request);
      throw new Error("killed after the gateway answered");
    });
    await expect(attemptInvoicePayment(ctx(db), invoice.id)).rejects.toThrow("killed");
    expect((await paymentsOf(db, invoice.id)).map((p) => p.status)).toEqual(["pending"]);

    const summary = await reconcilePayments(db, new Date(NOW.getTime() + 5 * 60_000));
    expect(summary).toMatchObject({ settled: 1, errors: [] });
    expect(await invoiceRow(db, invoice.id)).toMatchObject({ status: "paid", amountPaid: 1100 });
    const stored = await chargesFor(invoice.id);
    expect(stored).toHaveLength(1);
    expect((await paymentsOf(db, invoice.id))[0]).toMatchObject({ status: "succeeded", gatewayId: (stored[0]?.result as { gatewayId: string }).gatewayId, fee: 49 });

    const before = await snapshot(db, [invoice.id]);
    await reconcilePayments(db, new Date(NOW.getTime() + 10 * 60_000));
    expect(await snapshot(db, [invoice.id])).toEqual(before);
  });

  it("a charge the sandbox never received fails as not_submitted", async () => {
    const { invoice } = await openInvoice(db, catalog);
    vi.spyOn(sandboxGateway, "charge").mockRejectedValueOnce(new Error("connection refused"));
    await expect(attemptInvoicePayment(ctx(db), invoice.id)).rejects.toThrow("connection refused");
    await reconcilePayments(db, new Date(NOW.getTime() + 5 * 60_000));
    expect((await paymentsOf(db, invoice.id)).map((p) => [p.status, p.failureCode])).toEqual([["failed", NOT_SUBMITTED]]);
    expect(await chargesFor(invoice.id)).toHaveLength(0);
    const next = await attemptInvoicePayment(ctx(db), invoice.id);
    expect(next.payment).toMatchObject({ attempt: 2, status: "succeeded" });
    expect(await chargesFor(invoice.id)).toHaveLength(1);
  });
});
