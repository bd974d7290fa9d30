import { TAX_ID_TYPES } from "@/lib/tax/tax-id";
import { z } from "zod";
import { amountInCurrencyField, currencyField, emailField, idField, metadataField, nameField, preferredLocalesField, timezoneField } from "../fields";
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
    preferred_locales: preferredLocalesField.optional(),
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
    preferred_locales: preferredLocalesField.optional(),
    address: addressSchema.optional(),
    metadata: metadataField.optional(),
    default_payment_method: idField("pm").optional(),
    /** Another currency for the next subscriptions: only when none is running, no invoice is open and the credit balance is 0 (409 otherwise). */
    currency: currencyField.optional(),
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

const featureEntitlementResource = z
  .object({
    code: z.string(),
    type: z.enum(["boolean", "metered"]),
    limit: z.number().nullable().meta({ description: "The plan's limit for the period; null for a boolean feature or an unlimited metered one." }),
    used: z.number().nullable().meta({ description: "The meter's usage in the granting subscription's current period; null for a boolean feature." }),
    remaining: z.number().nullable().meta({ description: "limit − used, never below 0; null without a limit." }),
    hard: z.boolean().meta({ description: "A hard limit: `allowed` turns false once `used` reaches `limit`. A soft one only reports." }),
    allowed: z.boolean().meta({ description: "Serve the feature: false once a hard limit is reached, and for every feature while access is `blocked`." }),
  })
  .meta({ id: "FeatureEntitlement" });

export const entitlementsResource = z
  .object({
    object: z.literal("entitlements"),
    customer: z.string(),
    access: z.enum(["active", "warning", "blocked"]).meta({ description: "The customer's dunning status: serve `active` and `warning` (payment overdue, warn the user); do not serve `blocked`." }),
    features: z.array(featureEntitlementResource).meta({
      description: "Each feature of the plans of the live subscriptions that grant access (active, trialing, past_due), once, by code; a code granted twice takes the more generous grant.",
    }),
    subscriptions: z.array(z.object({ id: z.string(), status: z.string(), plan: z.string().nullable() })),
  })
  .meta({ id: "Entitlements" });

export const retrieveEntitlementsOp = defineOperation({
  method: "GET",
  path: "/customers/{id}/entitlements",
  operationId: "retrieveCustomerEntitlements",
  summary: "Whether to serve a customer, and with which features and limits",
  description:
    "Answers the SaaS product's question at request time: `access` follows dunning (active → warning → blocked); `features` lists what the customer's live subscriptions grant, metered ones with `limit`, `used` (this period) and `remaining`, each with `allowed`. Served from an in-process cache kept exact by invalidation on every write that changes access (docs/decisions/029-entitlements-cache.md), with a per-key rate budget of its own (`ENTITLEMENTS_RATE_LIMIT_PER_SECOND`, default 5,000/s), and also on a dedicated port when `ENTITLEMENTS_PORT` is set.",
  tags: ["Customers"],
  params: idParams,
  response: entitlementsResource,
  rateBudget: "entitlements",
  cachedKey: true,
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
