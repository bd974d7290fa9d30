import { earlyFraudWarningHandler } from "../sync/early-fraud-warning";

/** `radar.early_fraud_warning.updated`: the warning changed (usually no longer actionable after a refund or dispute). */
export const radarEarlyFraudWarningUpdated = earlyFraudWarningHandler();
