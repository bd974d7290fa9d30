import { TAX_ID_TYPES } from "@/lib/tax/tax-id";
import { z } from "zod";
import { amountInCurrencyField, currencyField, emailField, idField, metadataField, nameField, timezoneField } from "../fields";
import { defineOperation } from "../operation";
import { listOf, listQuery } from "../pagination";
import { addressSchema, customerResource } from "../resources/customer";
import { balanceTransactionResource } from "../resources/balance-transaction";
import { paymentMethodResource } from "../resources/payment-method";

const idParams = z.object({ id: idField("cus") }).strict();

export const createCustomerOp = defineOperation({
  method: "POST",
  path: "/customers",
  operationId: "createCustomer",
  summary: "Create a customer",
  tags: ["Customers"],
  body: z.object({
    email: emailField,
    name: nameField.optional(),
    currency: currencyField,
    timezone: timezoneField.optional(),
    address: addressSchema.optional(),
    external_id: z.string().min(1).max(255).optional(),
    test_clock: idField("clock").optional(),
    metadata: metadataField.optional(),
  }),
  response: customerResource,
});

export const listCustomersOp = defineOperation({
  method: "GET",
  path: "/customers",
  operationId: "listCustomers",
  summary: "List customers, newest first",
  tags: ["Customers"],
  query: listQuery.extend({ email: z.string().max(254).optional(), external_id: z.string().max(255).optional() }),
  response: listOf(customerResource),
});

export const retrieveCustomerOp = defineOperation({
  method: "GET",
  path: "/customers/{id}",
  operationId: "retrieveCustomer",
  summary: "Retrieve a customer",
  tags: ["Customers"],
  params: idParams,
  response: customerResource,
});

export const updateCustomerOp = defineOperation({
  method: "PATCH",
  path: "/customers/{id}",
  operationId: "updateCustomer",
  summary: "Update a customer (set default_payment_method here)",
  tags: ["Customers"],
  params: idParams,
  body: z.object({
    email: emailField.optional(),
    name: nameField.nullable().optional(),
    timezone: timezoneField.optional(),
    address: addressSchema.optional(),
    metadata: metadataField.optional(),
    default_payment_method: idField("pm").optional(),
    /** Replaces the customer's tax ids; each is validated for its type (ABN check digits, VAT formats, …). An empty list clears them. */
    tax_ids: z.array(z.object({ type: z.enum(TAX_ID_TYPES), value: z.string().min(1).max(64) }).strict()).max(5).optional(),
  }),
  response: customerResource,
});

export const attachPaymentMethodOp = defineOperation({
  method: "POST",
  path: "/customers/{id}/payment_methods",
  operationId: "attachPaymentMethod",
  summary: "Attach a payment method from a gateway token (in test mode: pm_card_visa and the other Stripe test ids)",
  tags: ["Payment methods"],
  params: idParams,
  body: z.object({ token: z.string().min(1).max(255) }),
  response: paymentMethodResource,
});

export const listPaymentMethodsOp = defineOperation({
  method: "GET",
  path: "/customers/{id}/payment_methods",
  operationId: "listPaymentMethods",
  summary: "List a customer's payment methods",
  tags: ["Payment methods"],
  params: idParams,
  response: listOf(paymentMethodResource),
});

export const createCreditGrantOp = defineOperation({
  method: "POST",
  path: "/customers/{id}/credit_grants",
  operationId: "createCreditGrant",
  summary: "Grant credit to a customer's balance",
  description: "Adds credit in the customer's favour (a `credit_grant` balance transaction); invoices spend it before charging the card. The currency must be the customer's.",
  tags: ["Customer balance"],
  params: idParams,
  body: z.object({
    amount: amountInCurrencyField.meta({ description: "Integer minor units of the customer's currency, greater than 0, e.g. 1099 = $10.99." }),
    currency: currencyField,
    reason: nameField.min(1).meta({ description: "Why: shown to the customer as the ledger entry's description." }),
  }),
  response: balanceTransactionResource,
});

export const listBalanceTransactionsOp = defineOperation({
  method: "GET",
  path: "/customers/{id}/balance_transactions",
  operationId: "listBalanceTransactions",
  summary: "List a customer's credit balance ledger, newest first",
  description: "Every movement of the credit balance; the newest entry's ending_balance is the customer's credit_balance.",
  tags: ["Customer balance"],
  params: idParams,
  query: listQuery,
  response: listOf(balanceTransactionResource),
});

export const entitlementsResource = z
  .object({
    object: z.literal("entitlements"),
    customer: z.string(),
    access: z.enum(["active", "warning", "blocked"]).meta({ description: "The customer's dunning status: serve `active` and `warning` (payment overdue, warn the user); do not serve `blocked`." }),
    features: z.array(z.string()).meta({ description: "Union of the plans' features of the live subscriptions that grant access (active, trialing, past_due); empty when blocked." }),
    subscriptions: z.array(z.object({ id: z.string(), status: z.string(), plan: z.string().nullable() })),
  })
  .meta({ id: "Entitlements" });

export const retrieveEntitlementsOp = defineOperation({
  method: "GET",
  path: "/customers/{id}/entitlements",
  operationId: "retrieveCustomerEntitlements",
  summary: "Whether to serve a customer, and with which features",
  description: "Answers the SaaS product's question at request time: `access` follows dunning (active → warning → blocked) and `features` lists what the customer's live subscriptions grant.",
  tags: ["Customers"],
  params: idParams,
  response: entitlementsResource,
});

export const customerOperations = [
  createCustomerOp,
  listCustomersOp,
  retrieveCustomerOp,
  updateCustomerOp,
  attachPaymentMethodOp,
  listPaymentMethodsOp,
  createCreditGrantOp,
  listBalanceTransactionsOp,
  retrieveEntitlementsOp,
];
