import { cache } from "react";
import { getDb } from "@/db/client";
import type { Formatter } from "@/lib/format";
import { customerFormatter } from "@/lib/services/readers/formatters";
import { portalCustomer } from "./customer";

/** The portal's formatter for the signed-in customer, made once per request (their locale, else the business's). */
export const portalFormatter = cache(async (): Promise<Formatter> => {
  const { customer } = await portalCustomer();
  return customerFormatter(await getDb(), customer);
});
