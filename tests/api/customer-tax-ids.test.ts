import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { PATCH as updateCustomer } from "@/app/api/v1/customers/[id]/route";
import { systemActor } from "@/lib/actor";
import { createCustomer } from "@/lib/services/customers/create-customer";
import { call, newKey, problemOf } from "./support";

describe("customer tax ids through the API", () => {
  it("validates with the same validator as the portal, normalizes, and clears with an empty list", async () => {
    const db = await getDb();
    const { key } = await newKey();
    const customer = await createCustomer({ db, actor: systemActor("test"), now: new Date() }, { email: "abn@example.com", currency: "aud", timezone: "Australia/Sydney", address: { country: "AU" } });
    const patch = (body: unknown) => call(updateCustomer, { method: "PATCH", key, path: `/customers/${customer.id}`, params: { id: customer.id }, body });

    const bad = await patch({ tax_ids: [{ type: "au_abn", value: "51 824 753 557" }] });
    expect(bad.status).toBe(422);
    expect((await problemOf(bad)).param).toBe("tax_id");
    const unknown = await patch({ tax_ids: [{ type: "xx_vat", value: "1" }] });
    expect(unknown.status).toBe(422);
    expect((await problemOf(unknown)).param).toMatch(/^tax_ids/);

    const ok = await patch({ tax_ids: [{ type: "au_abn", value: "51 824 753 556" }] });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { tax_ids: unknown[] }).tax_ids).toEqual([{ type: "au_abn", value: "51824753556", verified: false }]);
    const cleared = await patch({ tax_ids: [] });
    expect(((await cleared.json()) as { tax_ids: unknown[] }).tax_ids).toEqual([]);
  });
});
