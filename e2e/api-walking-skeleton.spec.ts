import { expect, test } from "./fixtures";

test("through the API: create a customer, attach pm_card_visa, subscribe to Starter, read the paid invoice", async ({ api }) => {
  const customer = await api("/customers", {
    method: "POST",
    body: { email: "api-buyer@example.com", name: "API Buyer", currency: "aud", timezone: "Australia/Sydney", address: { country: "AU" } },
    idempotencyKey: `cus-${Date.now()}`,
  });
  expect(customer.status).toBe(200);
  expect(customer.body).toMatchObject({ object: "customer", currency: "aud", credit_balance: 0, status: "active", livemode: false });
  const customerId = String(customer.body.id);
  expect(customerId).toMatch(/^cus_/);

  const pm = await api(`/customers/${customerId}/payment_methods`, { method: "POST", body: { token: "pm_card_visa" } });
  expect(pm.status).toBe(200);
  expect(pm.body).toMatchObject({ object: "payment_method", customer: customerId, card: { brand: "visa", last4: "4242" }, gateway: "sandbox" });

  const plans = await api("/plans?code=starter");
  const starter = (plans.body.data as { code: string; prices: { id: string; currency: string; unit_amount: number; tax_behavior: string }[] }[])[0]!;
  const price = starter.prices.find((p) => p.currency === "aud")!;
  expect(price).toMatchObject({ unit_amount: 1000, tax_behavior: "inclusive" });

  const sub = await api("/subscriptions", { method: "POST", body: { customer: customerId, items: [{ price: price.id, quantity: 1 }] }, idempotencyKey: `sub-${customerId}` });
  expect(sub.status).toBe(200);
  expect(sub.body).toMatchObject({ object: "subscription", status: "active", customer: customerId, collection_method: "charge_automatically" });

  const invoice = await api(`/invoices/${String(sub.body.latest_invoice)}`);
  expect(invoice.status).toBe(200);
  expect(invoice.body).toMatchObject({
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
  expect(String(invoice.body.number)).toMatch(/^TLY-\d{6}$/);
  const lines = invoice.body.lines as { amount: number; tax_amounts: unknown[] }[];
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ amount: 1000, quantity: 1, tax_amounts: [{ amount: 91, rate: "0.1", jurisdiction: "AU GST", inclusive: true }] });

  // Replaying the same Idempotency-Key returns the same subscription, not a second one.
  const replay = await api("/subscriptions", { method: "POST", body: { customer: customerId, items: [{ price: price.id, quantity: 1 }] }, idempotencyKey: `sub-${customerId}` });
  expect(replay.body.id).toBe(sub.body.id);
  const list = await api(`/subscriptions?customer=${customerId}`);
  expect((list.body.data as unknown[]).length).toBe(1);
});

test("through the API: a declined first charge leaves the subscription incomplete with the decline on the invoice", async ({ api }) => {
  const customer = await api("/customers", { method: "POST", body: { email: "declined@example.com", currency: "aud", timezone: "Australia/Sydney" } });
  const customerId = String(customer.body.id);
  await api(`/customers/${customerId}/payment_methods`, { method: "POST", body: { token: "pm_card_chargeDeclinedInsufficientFunds" } });
  const plans = await api("/plans?code=starter");
  const priceId = (plans.body.data as { prices: { id: string; currency: string }[] }[])[0]!.prices.find((p) => p.currency === "aud")!.id;
  const sub = await api("/subscriptions", { method: "POST", body: { customer: customerId, items: [{ price: priceId }] } });
  expect(sub.body.status).toBe("incomplete");
  const invoice = await api(`/invoices/${String(sub.body.latest_invoice)}`);
  expect(invoice.body).toMatchObject({ status: "open", amount_remaining: 1000, last_payment_error: { code: "card_declined", decline_code: "insufficient_funds" } });
});

test("through the API: bad input gets problem+json naming the field", async ({ api }) => {
  const unknown = await api("/customers", { method: "POST", body: { email: "x@example.com", currency: "aud", role: "admin" } });
  expect(unknown.status).toBe(400);
  expect(unknown.body).toMatchObject({ code: "unknown_field", param: "role" });
  const currency = await api("/customers", { method: "POST", body: { email: "x@example.com", currency: "US$" } });
  expect(currency.status).toBe(422);
  expect(currency.body).toMatchObject({ code: "currency_unsupported", param: "currency" });
  const tz = await api("/customers", { method: "POST", body: { email: "x@example.com", currency: "aud", timezone: "PST" } });
  expect(tz.status).toBe(422);
  expect(tz.body.param).toBe("timezone");
  const missing = await api("/customers/cus_doesnotexist");
  expect(missing.status).toBe(404);
  expect(missing.body).toMatchObject({ code: "not_found", status: 404 });
  expect(String(missing.body.request_id)).toMatch(/^req_/);
});
