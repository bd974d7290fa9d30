import { expect, ok, test } from "./fixtures";

test("through the API: create a customer, attach pm_card_visa, subscribe to Starter, read the paid invoice", async ({ tally }) => {
  const customer = await tally.POST("/customers", {
    body: { email: "api-buyer@example.com", name: "API Buyer", currency: "aud", timezone: "Australia/Sydney", address: { country: "AU" } },
    params: { header: { "Idempotency-Key": `cus-${Date.now()}` } },
  });
  expect(customer.response.status).toBe(200);
  expect(customer.data).toMatchObject({ object: "customer", currency: "aud", credit_balance: 0, status: "active", livemode: false });
  const customerId = customer.data!.id;
  expect(customerId).toMatch(/^cus_/);

  const pm = await tally.POST("/customers/{id}/payment_methods", { params: { path: { id: customerId } }, body: { token: "pm_card_visa" } });
  expect(pm.response.status).toBe(200);
  expect(pm.data).toMatchObject({ object: "payment_method", customer: customerId, card: { brand: "visa", last4: "4242" }, gateway: "sandbox" });

  const plans = await ok(tally.GET("/plans", { params: { query: { code: "starter" } } }), "finding Starter");
  const price = plans.data[0]!.prices.find((p) => p.currency === "aud")!;
  expect(price).toMatchObject({ unit_amount: 1000, tax_behavior: "inclusive" });

  const subscribe = () =>
    tally.POST("/subscriptions", {
      body: { customer: customerId, items: [{ price: price.id, quantity: 1 }] },
      params: { header: { "Idempotency-Key": `sub-${customerId}` } },
    });
  const sub = await subscribe();
  expect(sub.response.status).toBe(200);
  expect(sub.data).toMatchObject({ object: "subscription", status: "active", customer: customerId, collection_method: "charge_automatically" });

  const invoice = await tally.GET("/invoices/{id}", { params: { path: { id: sub.data!.latest_invoice! } } });
  expect(invoice.response.status).toBe(200);
  expect(invoice.data).toMatchObject({
    object: "invoice",
    status: "paid",
    billing_reason: "subscription_create",
    currency: "aud",
    subtotal: 1000,
    tax: 91,
    total: 1000,
    amount_due: 1000,
    amount_paid: 1000,
    amount_remaining: 0,
    last_payment_error: null,
  });
  expect(invoice.data!.number).toMatch(/^TLY-\d{6}$/);
  const lines = invoice.data!.lines;
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ amount: 1000, quantity: 1, tax_amounts: [{ amount: 91, rate: "0.1", jurisdiction: "AU GST", inclusive: true }] });

  // Replaying the same Idempotency-Key returns the same subscription, not a second one.
  const replay = await subscribe();
  expect(replay.data!.id).toBe(sub.data!.id);
  const list = await ok(tally.GET("/subscriptions", { params: { query: { customer: customerId } } }), "listing subscriptions");
  expect(list.data.length).toBe(1);
});

test("through the API: a declined first charge leaves the subscription incomplete with the decline on the invoice", async ({ tally }) => {
  const customer = await ok(tally.POST("/customers", { body: { email: "declined@example.com", currency: "aud", timezone: "Australia/Sydney" } }), "creating the customer");
  await ok(tally.POST("/customers/{id}/payment_methods", { params: { path: { id: customer.id } }, body: { token: "pm_card_chargeDeclinedInsufficientFunds" } }), "attaching the card");
  const plans = await ok(tally.GET("/plans", { params: { query: { code: "starter" } } }), "finding Starter");
  const priceId = plans.data[0]!.prices.find((p) => p.currency === "aud")!.id;
  const sub = await ok(tally.POST("/subscriptions", { body: { customer: customer.id, items: [{ price: priceId }] } }), "subscribing");
  expect(sub.status).toBe("incomplete");
  const invoice = await ok(tally.GET("/invoices/{id}", { params: { path: { id: sub.latest_invoice! } } }), "reading the invoice");
  expect(invoice).toMatchObject({ status: "open", amount_remaining: 1000, last_payment_error: { code: "card_declined", decline_code: "insufficient_funds" } });
});

test("through the API: bad input gets problem+json naming the field", async ({ tally }) => {
  // Deliberately outside the types: the server must refuse what the client would not compile.
  const unknown = await tally.POST("/customers", { body: { email: "x@example.com", currency: "aud", role: "admin" } as never });
  expect(unknown.response.status).toBe(400);
  expect(unknown.error).toMatchObject({ code: "unknown_field", param: "role" });
  const currency = await tally.POST("/customers", { body: { email: "x@example.com", currency: "US$" } as never });
  expect(currency.response.status).toBe(422);
  expect(currency.error).toMatchObject({ code: "currency_unsupported", param: "currency" });
  const tz = await tally.POST("/customers", { body: { email: "x@example.com", currency: "aud", timezone: "PST" } });
  expect(tz.response.status).toBe(422);
  expect(tz.error).toMatchObject({ param: "timezone" });
  const missing = await tally.GET("/customers/{id}", { params: { path: { id: "cus_doesnotexist" } } });
  expect(missing.response.status).toBe(404);
  expect(missing.error).toMatchObject({ code: "not_found", status: 404 });
  expect(missing.error!.request_id).toMatch(/^req_/);
});
