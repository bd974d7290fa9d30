import type { Operation, Schema } from "./operation-types";

/**
 * `POST /v1/tax/calculations` as Stripe describes it. Stripe's OpenAPI snapshot beside the checkout
 * (../shared/stripe-openapi, API version 2023-08-16) lists the operation but not its parameters, so
 * they are transcribed here from the request type of the pinned SDK (stripe 23.1.0,
 * `Stripe.Tax.CalculationCreateParams`, API version 2026-10-28.endive), in the snapshot's format:
 * the fake refuses what Stripe would (an unknown parameter, a missing currency or line amount, a
 * wrong enum value).
 */
const str: Schema = { type: "string", maxLength: 5000 };
const emptyable: Schema = { anyOf: [str, { type: "string", enum: [""] }] };

export const TAX_CALCULATION_OPERATION: Operation = {
  operationId: "PostTaxCalculations",
  path_params: [],
  form: {
    type: "object",
    additionalProperties: false,
    required: ["currency", "line_items"],
    properties: {
      currency: { type: "string" },
      customer: str,
      customer_details: {
        type: "object",
        properties: {
          address: {
            type: "object",
            required: ["country"],
            properties: { city: emptyable, country: str, line1: emptyable, line2: emptyable, postal_code: emptyable, state: emptyable },
          },
          address_source: { type: "string", enum: ["billing", "shipping"] },
          ip_address: { type: "string" },
          tax_ids: { type: "array", items: { type: "object", required: ["type", "value"], properties: { type: str, value: { type: "string" } } } },
          taxability_override: { type: "string", enum: ["customer_exempt", "none", "reverse_charge"] },
        },
      },
      expand: { type: "array", items: str },
      line_items: {
        type: "array",
        items: {
          type: "object",
          required: ["amount"],
          properties: {
            amount: { type: "integer" },
            metadata: { type: "object", additionalProperties: { type: "string" } },
            product: str,
            quantity: { type: "integer" },
            reference: str,
            tax_behavior: { type: "string", enum: ["exclusive", "inclusive"] },
            tax_code: { type: "string" },
          },
        },
      },
      tax_date: { type: "integer" },
    },
  },
};
