export { createStripeGateway, stripeGatewayFor, type StripeGateway, type StripeGatewayOptions } from "./gateway";
export { STRIPE_API_VERSION, isTestKey } from "./client";
export type { StripeHooks } from "./deps";
export type { Clock } from "./rate-limiter";
