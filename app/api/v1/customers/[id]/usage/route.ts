import { apiRoute } from "@/lib/api/handler";
import { customerUsageOp } from "@/lib/api/operations/usage";
import { iso } from "@/lib/api/resources/common";
import { customerForKey, meterForKey } from "@/lib/api/scope";
import { usageSeries } from "@/lib/services/usage/usage-for";

export const dynamic = "force-dynamic";

export const GET = apiRoute(customerUsageOp, async ({ db, apiKey, params, query }) => {
  const customer = await customerForKey(db, params.id, apiKey.livemode);
  const meter = await meterForKey(db, query.meter, apiKey.livemode, "meter");
  const data = await usageSeries({ db }, { customer: customer.id, meter: meter.id, from: query.from, to: query.to, interval: query.interval });
  return { object: "usage_series" as const, meter: meter.id, customer: customer.id, interval: query.interval, data: data.map((b) => ({ start: iso(b.start), value: b.value })) };
});
