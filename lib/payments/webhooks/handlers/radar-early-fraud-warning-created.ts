import { earlyFraudWarningHandler } from "../sync/early-fraud-warning";

/** `radar.early_fraud_warning.created`: the issuer reported the charge as likely fraud. */
export const radarEarlyFraudWarningCreated = earlyFraudWarningHandler();
