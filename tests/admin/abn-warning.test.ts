import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { customers } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { createCustomer } from "@/lib/services/customers/create-customer";
import { loadAbnWarning } from "@/lib/services/settings/abn-warning";
import { getSetting, setSetting } from "@/lib/services/settings/settings";
import { NOW } from "../services/support";

/**
 * The console warns when the business charges Australian GST (the invoices' tax calculator would
 * charge it to one of its customers) and its profile has no valid ABN. One database for the file,
 * so the steps below run in order on the same customers.
 */
describe("loadAbnWarning", () => {
  it("speaks up exactly when a customer is charged GST and the profile's ABN is missing or invalid", async () => {
    const db = await getDb();
    const ctx = { db, actor: systemActor("test"), now: NOW };
    const setTaxNumber = async (taxNumber: string) => setSetting(ctx, "business.profile", { ...(await getSetting(db, "business.profile")), taxNumber });
    expect((await getSetting(db, "business.profile")).taxNumber).toBe("");

    // No customers: no tax invoices, nothing to say.
    expect(await loadAbnWarning(db, NOW)).toBeNull();
    // Customers charged no GST: abroad, or Australian but exempt.
    await createCustomer(ctx, { email: "us@example.com", currency: "usd", timezone: "UTC", address: { country: "US" } });
    const exempt = await createCustomer(ctx, { email: "exempt@example.com", currency: "aud", timezone: "UTC", address: { country: "AU" } });
    await db.update(customers).set({ taxExempt: "exempt" }).where(eq(customers.id, exempt.id));
    expect(await loadAbnWarning(db, NOW)).toBeNull();

    // One customer in Australia: GST is charged, and the profile has no ABN.
    await createCustomer(ctx, { email: "au@example.com", currency: "aud", timezone: "Australia/Sydney", address: { country: "au" } });
    expect(await loadAbnWarning(db, NOW)).toMatchObject({ kind: "missing", title: "Your tax invoices show no ABN." });
    await setTaxNumber("GB 123 4567 82");
    expect(await loadAbnWarning(db, NOW)).toMatchObject({ kind: "missing" });
    await setTaxNumber("51 824 753 557");
    expect(await loadAbnWarning(db, NOW)).toMatchObject({ kind: "invalid" });
    await setTaxNumber("51 824 753 556");
    expect(await loadAbnWarning(db, NOW)).toBeNull();
  });
});
