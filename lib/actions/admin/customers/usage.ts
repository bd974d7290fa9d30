"use server";

import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { reaggregateCustomerUsage } from "@/lib/services/usage/reaggregate-customer";
import { customerField, refreshCustomer } from "./helpers";
import { formatCount } from "@/lib/format";

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

export const reaggregateUsageAction = validatedAction("usage.reaggregate", z.object({ customerId: customerField }), async (input, _user, ctx) => {
  const r = await reaggregateCustomerUsage(ctx, input.customerId);
  refreshCustomer(input.customerId);
  const repaired = r.changed + r.added + r.removed;
  const detail = repaired === 0 ? "They already matched the events: nothing changed." : `${plural(repaired, "row")} repaired (${r.changed} corrected, ${r.added} missing, ${r.removed} extra).`;
  return { ok: true, message: `Rebuilt ${plural(r.rows, "rollup row")} from the raw events. ${detail}` };
});
