import { cardUpdateHandler } from "../sync/card-update";

/** `payment_method.updated`: new card details (expiry, billing details) changed through the API or dashboard. */
export const paymentMethodUpdated = cardUpdateHandler("api");
