import { cardUpdateHandler } from "../sync/card-update";

/** `payment_method.automatically_updated`: the card network's account updater issued a new expiry or number. */
export const paymentMethodAutomaticallyUpdated = cardUpdateHandler("network");
