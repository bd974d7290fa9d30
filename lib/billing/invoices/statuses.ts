/** Every state an invoice can be in. */
export const invoiceStatuses = ["draft", "open", "paid", "void", "uncollectible"] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

/**
 * Why an invoice was made; one recurring invoice per (subscription, period) covers the first two.
 * `usage_late`: a supplemental invoice for usage reported after its period was invoiced.
 */
export const billingReasons = ["subscription_create", "subscription_cycle", "subscription_update", "manual", "usage_late"] as const;
export type BillingReason = (typeof billingReasons)[number];
