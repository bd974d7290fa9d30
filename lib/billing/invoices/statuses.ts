/** Every state an invoice can be in. */
export const invoiceStatuses = ["draft", "open", "paid", "void", "uncollectible"] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

/** Why an invoice was made; one recurring invoice per (subscription, period) covers the first two. */
export const billingReasons = ["subscription_create", "subscription_cycle", "subscription_update", "manual"] as const;
export type BillingReason = (typeof billingReasons)[number];
