"use server";

import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { reaggregateCustomerUsage } from "@/lib/services/usage/reaggregate-customer";
import { customerField, refreshCustomer } from "./helpers";
import type { Formatter } from "@/lib/format";
import { consoleFormatter } from "@/lib/auth/console-formatter";

const plural = (fmt: Formatter, n: number, one: string, many = `${one}s`) => `${fmt.count(n)} ${n === 1 ? one : many}`;

export const reaggregateUsageAction = validatedAction("usage.reaggregate", z.object({ customerId: customerField }), async (input, _user, ctx) => {
  const r = await reaggregateCustomerUsage(ctx, input.customerId);
  const fmt = await consoleFormatter();
  refreshCustomer(input.customerId);
  const repaired = r.changed + r.added + r.removed;
  const detail = repaired === 0 ? "They already matched the events: nothing changed." : `${plural(fmt, repaired, "row")} repaired (${r.changed} corrected, ${r.added} missing, ${r.removed} extra).`;
  return { ok: true, message: `Rebuilt ${plural(fmt, r.rows, "rollup row")} from the raw events. ${detail}` };
});
