import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { problemResponse } from "@/lib/api/problem";
import { AppError } from "@/lib/errors";
import { MoneyError } from "@/lib/money";
import { call, countThings, newKey, postPrice, postThing, problemOf } from "./support";
import { takeLogged } from "@/tests/setup/logs";

let key: string;
beforeAll(async () => {
  ({ key } = await newKey());
});

const post = (body: unknown) => call(postThing, { key, body });

describe("bad input gets a clear error and changes nothing", () => {
  it("an unknown field such as role: admin is 400 unknown_field naming it", async () => {
    const before = await countThings();
    const res = await post({ name: "Eve", amount: 100, role: "admin" });
    expect(res.status).toBe(400);
    expect(await problemOf(res)).toMatchObject({
      type: "https://docs.tally.dev/errors/unknown_field",
      title: "Unknown field",
      status: 400,
      code: "unknown_field",
      param: "role",
    });
    // Nested unknown fields are named by their path; they win over other errors (400 before 422).
    const nested = await post({ name: "Eve", amount: 10.5, metadata: { plan: "pro" }, extra: { x: 1 } });
    expect(await problemOf(nested)).toMatchObject({ code: "unknown_field", param: "extra" });
    expect(await countThings()).toBe(before);
  });

  it.each([10.999, "1e3", null, 0.30000000000000004, "1099", 2 ** 53, -5])("amount %s → 422 amount_invalid", async (amount) => {
    const res = await post({ name: "Amount", amount });
    expect(res.status).toBe(422);
    const problem = await problemOf(res);
    expect(problem).toMatchObject({ code: "amount_invalid", param: "amount" });
    if (amount !== -5) expect(problem.detail).toBe("amount must be an integer number of minor units, e.g. 1099 = $10.99.");
  });

  it("a missing amount is amount_invalid too; a JSON number 1e3 is 1000 and fine", async () => {
    expect(await problemOf(await post({ name: "Amount" }))).toMatchObject({ code: "amount_invalid", param: "amount" });
    const ok = await call(postThing, { key, rawBody: '{"name":"Exp","amount":1e3}' });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ amount: 1000 });
  });

  it.each([10.999, "1e3", null])("a plain z.number().int() money field (unit_amount: %s) → amount_invalid", async (unit_amount) => {
    const res = await call(postPrice, { key, path: "/things/cus_abc/price", params: { id: "cus_abc" }, body: { unit_amount } });
    expect(await problemOf(res)).toMatchObject({ status: 422, code: "amount_invalid", param: "unit_amount" });
    const ok = await call(postPrice, { key, path: "/things/cus_abc/price", params: { id: "cus_abc" }, body: { unit_amount: 5 } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ id: "cus_abc", unit_amount: 5 });
  });

  it.each(["XYZ", "US$", "", 840])("currency %s → 422 currency_unsupported", async (currency) => {
    const res = await post({ name: "Cur", amount: 1, currency });
    expect(await problemOf(res)).toMatchObject({ status: 422, code: "currency_unsupported", param: "currency" });
  });

  it("currency is normalised to lower case", async () => {
    const res = await post({ name: "Cur", amount: 1, currency: "JPY" });
    expect(await res.json()).toMatchObject({ currency: "jpy" });
  });

  it.each([-1, 1.5, "3"])("quantity %s → 422 out_of_range naming the field", async (quantity) => {
    expect(await problemOf(await post({ name: "Q", amount: 1, quantity }))).toMatchObject({ code: "out_of_range", param: "quantity" });
  });

  it.each(["PST", "EST", "GMT+2", "Mars/Olympus"])("timezone %s → 422 naming the field and the accepted form", async (timezone) => {
    const problem = await problemOf(await post({ name: "Tz", amount: 1, timezone }));
    expect(problem).toMatchObject({ status: 422, code: "timezone_invalid", param: "timezone" });
    expect(problem.detail).toMatch(/IANA time zone name such as/);
  });

  it("a 10,000-character name is 422 too_long; zero-width characters are refused", async () => {
    const long = await problemOf(await post({ name: "n".repeat(10_000), amount: 1 }));
    expect(long).toMatchObject({ status: 422, code: "too_long", param: "name", detail: "name must be at most 500 characters." });
    const hidden = await problemOf(await post({ name: "Ad\u200Bmin", amount: 1 }));
    expect(hidden).toMatchObject({ status: 422, code: "validation_failed", param: "name" });
  });

  it("metadata: at most 50 keys, string values", async () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
    expect(await problemOf(await post({ name: "M", amount: 1, metadata: many }))).toMatchObject({ code: "out_of_range", param: "metadata" });
    expect(await problemOf(await post({ name: "M", amount: 1, metadata: { a: 1 } }))).toMatchObject({ code: "validation_failed", param: "metadata.a" });
    expect(await problemOf(await post({ name: "M", amount: 1, email: "not-an-email" }))).toMatchObject({ code: "validation_failed", param: "email" });
  });

  it("a 5 MB body is 413, whether or not Content-Length announces it", async () => {
    const before = await countThings();
    const huge = JSON.stringify({ name: "x".repeat(5 * 1024 * 1024), amount: 1 });
    const streamed = await call(postThing, { key, rawBody: huge });
    expect(streamed.status).toBe(413);
    expect((await problemOf(streamed)).code).toBe("payload_too_large");
    const announced = await call(postThing, { key, rawBody: "{}", headers: { "content-length": String(5 * 1024 * 1024) } });
    expect(announced.status).toBe(413);
    expect(await countThings()).toBe(before);
  });

  it("invalid JSON and non-object bodies are 400 invalid_json", async () => {
    for (const rawBody of ["{", "name=x&amount=1", "[1,2]", "42", "null"]) {
      const res = await call(postThing, { key, rawBody });
      expect(res.status).toBe(400);
      expect((await problemOf(res)).code).toBe("invalid_json");
    }
  });

  it("a malformed id in the path is 404, the same as an unknown one", async () => {
    const res = await call(postPrice, { key, params: { id: "../../etc/passwd" }, body: { unit_amount: 1 } });
    expect(await problemOf(res)).toMatchObject({ status: 404, code: "not_found", param: "id" });
  });

  it("every response carries a Request-Id; an unexpected error is a generic, logged 500", async () => {
    const res = problemResponse(new TypeError("relation \"secret_table\" does not exist"), "req_test123");
    const body = await res.json();
    expect(res.status).toBe(500);
    expect(body).toMatchObject({ code: "internal", request_id: "req_test123" });
    expect(JSON.stringify(body)).not.toContain("secret_table");
    const errors = takeLogged("error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.request_id).toBe("req_test123");

    const ok = await post({ name: "Rid", amount: 1 });
    expect(ok.headers.get("request-id")).toMatch(/^req_[0-9A-Za-z]{24}$/);
  });

  it("maps AppError, MoneyError and ZodError in one place", async () => {
    const app = await problemResponse(new AppError("not_found", { message: "cus_1 missing in db", userMessage: "No such customer.", param: "customer" }), "req_1").json();
    expect(app).toEqual({
      type: "https://docs.tally.dev/errors/not_found",
      title: "Not found",
      status: 404,
      code: "not_found",
      param: "customer",
      detail: "No such customer.",
      request_id: "req_1",
    });
    const money = await problemResponse(new MoneyError("currency_unsupported", 'currency "XYZ" is not supported', "currency"), "req_2").json();
    expect(money).toMatchObject({ status: 422, code: "currency_unsupported", param: "currency" });
    const parsed = z.object({ items: z.array(z.object({ quantity: z.number().int().min(0) })) }).safeParse({ items: [{ quantity: 1 }, { quantity: -1 }] });
    const zod = await problemResponse(parsed.error, "req_3").json();
    expect(zod).toMatchObject({ status: 422, code: "out_of_range", param: "items[1].quantity", detail: "items[1].quantity must be at least 0." });
  });
});

