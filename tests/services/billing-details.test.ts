import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { customers } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { updateCustomer } from "@/lib/services/customers/update-customer";
import { ctx } from "./support";
import { makeCustomer } from "../factories";

let db: Db;
beforeAll(async () => {
  db = await getDb();
});

async function row(id: string) {
  const [r] = await db.select().from(customers).where(eq(customers.id, id));
  return r!;
}

describe("updateCustomer: billing details and tax IDs", () => {
  it("stores a valid ABN normalized, unverified, with the address", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: null });
    const after = await updateCustomer(c, customer.id, {
      name: "Acme Pty Ltd",
      email: "Billing@Acme.example",
      address: { line1: "1 George St", line2: null, city: "Sydney", state: "NSW", postal_code: "2000", country: "AU" },
      taxIds: [{ type: "au_abn", value: "51 824 753 556" }],
    });
    expect(after).toMatchObject({ name: "Acme Pty Ltd", email: "billing@acme.example", taxIds: [{ type: "au_abn", value: "51824753556", verified: false }] });
    expect((await row(customer.id)).address).toEqual({ line1: "1 George St", line2: null, city: "Sydney", state: "NSW", postal_code: "2000", country: "AU" });
  });

  it("refuses an ABN with wrong check digits, naming the field, and changes nothing", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: null });
    const error = await updateCustomer(c, customer.id, { name: "Changed", taxIds: [{ type: "au_abn", value: "51 824 753 557" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "validation_failed", param: "tax_id", userMessage: expect.stringMatching(/not a valid ABN/) });
    expect(await row(customer.id)).toMatchObject({ name: customer.name, taxIds: [] });
  });

  it("an EU VAT number without its prefix takes the country of the address being saved", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: null });
    const after = await updateCustomer(c, customer.id, { address: { country: "DE" }, taxIds: [{ type: "eu_vat", value: "136 695 976" }] });
    expect(after.taxIds).toEqual([{ type: "eu_vat", value: "DE136695976", verified: false }]);
  });

  it("an unknown type is refused; an empty list removes the tax ID; a verified number stays verified when saved again", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: null });
    await expect(updateCustomer(c, customer.id, { taxIds: [{ type: "xx_tin", value: "1" }] })).rejects.toMatchObject({ param: "tax_id" });
    await db.update(customers).set({ taxIds: [{ type: "au_abn", value: "51824753556", verified: true }] }).where(eq(customers.id, customer.id));
    expect((await updateCustomer(c, customer.id, { taxIds: [{ type: "au_abn", value: "51 824 753 556" }] })).taxIds).toEqual([{ type: "au_abn", value: "51824753556", verified: true }]);
    expect((await updateCustomer(c, customer.id, { taxIds: [] })).taxIds).toEqual([]);
  });
});
