import type { AnyOperation } from "../operation";
import { catalogOperations } from "./catalog";
import { creditNoteOperations } from "./credit-notes";
import { customerOperations } from "./customers";
import { discountOperations } from "./discounts";
import { invoiceOperations } from "./invoices";
import { subscriptionLifecycleOperations, subscriptionOperations } from "./subscriptions";
import { testClockOperations } from "./test-clocks";
import { paymentOperations } from "./payments";
import { disputeOperations } from "./disputes";
import { receiptOperations } from "./receipts";
import { portalSessionOperations } from "./portal-sessions";
import { usageOperations } from "./usage";
import { apiCostOperations } from "./api-costs";
import { budgetOperations } from "./budgets";
import { revenueOperations } from "./revenue";
import { analyticsOperations } from "./analytics";
import { webhookOperations } from "./webhooks";
import { taxOperations } from "./tax";

/**
 * Every /api/v1 operation, in document order. Each resource keeps its operations in
 * `lib/api/operations/<resource>.ts` (defineOperation) and appends them here; the routes import the
 * same objects, so the OpenAPI document at /api/v1/openapi.json lists exactly what the API serves.
 */
export const allOperations: AnyOperation[] = [
  ...customerOperations,
  ...catalogOperations,
  ...discountOperations,
  ...subscriptionOperations,
  ...subscriptionLifecycleOperations,
  ...testClockOperations,
  ...paymentOperations,
  ...invoiceOperations,
  ...creditNoteOperations,
  ...receiptOperations,
  ...disputeOperations,
  ...portalSessionOperations,
  ...usageOperations,
  ...apiCostOperations,
  ...budgetOperations,
  ...revenueOperations,
  ...analyticsOperations,
  ...webhookOperations,
  ...taxOperations,
];
