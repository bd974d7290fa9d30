import { describe, expect, it } from "vitest";
import { GET as getCustomer } from "@/app/api/v1/customers/[id]/route";
import { GET as getInvoice } from "@/app/api/v1/invoices/[id]/route";
import { POST as createSubscription } from "@/app/api/v1/subscriptions/route";
import { GET as getCreditNote } from "@/app/api/v1/credit_notes/[id]/route";
import { call, newKey, problemOf } from "./support";

// A 404 names the missing object's kind and the id the request gave, as Stripe's do.
describe("404 answers name what is missing", () => {
  it("an unknown id in the path: its kind and the id", async () => {
    const { key } = await newKey();
    const res = await call(getCustomer, { method: "GET", key, path: "/customers/cus_nothere123", params: { id: "cus_nothere123" } });
    expect(res.status).toBe(404);
    expect(await problemOf(res)).toMatchObject({ code: "not_found", param: "id", detail: "No such customer: 'cus_nothere123'." });
    const invoice = await call(getInvoice, { method: "GET", key, path: "/invoices/in_missing", params: { id: "in_missing" } });
    expect(await problemOf(invoice)).toMatchObject({ code: "not_found", detail: "No such invoice: 'in_missing'." });
  });

  it("a malformed id in the path: the kind from the route, and the id", async () => {
    const { key } = await newKey();
    const res = await call(getCreditNote, { method: "GET", key, path: "/credit_notes/not-an-id", params: { id: "not-an-id" } });
    expect(res.status).toBe(404);
    expect(await problemOf(res)).toMatchObject({ code: "not_found", param: "id", detail: "No such credit note: 'not-an-id'." });
  });

  it("an unknown id in the body: its kind, the field, and the id", async () => {
    const { key } = await newKey();
    const res = await call(createSubscription, { method: "POST", key, path: "/subscriptions", body: { customer: "cus_ghost42", items: [{ price: "price_ghost" }] } });
    expect(res.status).toBe(404);
    expect(await problemOf(res)).toMatchObject({ code: "not_found", param: "customer", detail: "No such customer: 'cus_ghost42'." });
  });
});
