import { beforeAll, describe, expect, it } from "vitest";
import { GET as customerUsage } from "@/app/api/v1/customers/[id]/usage/route";
import { POST as postMeter } from "@/app/api/v1/meters/route";
import { POST as postClock } from "@/app/api/v1/test_clocks/route";
import { randomToken } from "@/lib/ids";
import { systemActor } from "@/lib/actor";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { usageFor } from "@/lib/services/usage/usage-for";
import { getDb } from "@/db/client";
import { newKey } from "../api/support";
import { makePlan } from "../factories";
import { clockCustomer } from "../scenarios/support";
import { answer, makeApiCustomer, makeMeter, refuseEvent, sendBatch, sendEvent, type Json } from "./support";

// The customer lives on a test clock frozen at 10 Mar 2027 12:00 UTC; their events fall on 8, 9 and
// 10 March. Without a subscription the late window (7 days) alone decides what is accepted.
const NOW = "2027-03-10T12:00:00.000Z";
let key: string;
let customer: Json;

type Series = { meter: string; interval: string; data: { start: string; value: string }[] };
const usage = (meter: string, from: string, to: string, interval = "day") =>
  answer<Series>(customerUsage, key, 200, {
    method: "GET",
    path: `/customers/${customer.id}/usage?meter=${meter}&from=${from}&to=${to}&interval=${interval}`,
    params: { id: customer.id },
  });
const values = (s: Series) => s.data.map((b) => [b.start, b.value]);
const event = (meter: string, timestamp: string, properties: Record<string, string | number>) => ({ identifier: `u-${randomToken(10)}`, meter, customer: customer.id, timestamp, properties });

let tokens: Json & { code: string };
let requests: Json & { code: string };
let peak: Json & { code: string };
let users: Json & { code: string };
let seats: Json & { code: string };

beforeAll(async () => {
  ({ key } = await newKey());
  const clock = await answer<Json>(postClock, key, 200, { path: "/test_clocks", body: { frozen_time: NOW } });
  customer = await makeApiCustomer(key, { test_clock: clock.id });
  [tokens, requests, peak, users, seats] = await Promise.all([
    makeMeter(key, { aggregation: "sum", value_property: "tokens" }),
    makeMeter(key, { aggregation: "count" }),
    makeMeter(key, { aggregation: "max", value_property: "tokens" }),
    makeMeter(key, { aggregation: "unique_count", unique_property: "user" }),
    makeMeter(key, { aggregation: "last", value_property: "seats" }),
  ]);
  const rows: [string, Record<string, string | number>][] = [
    ["2027-03-08T09:15:00Z", { tokens: 10, user: "ann", seats: 3, region: "au" }],
    ["2027-03-08T09:45:00Z", { tokens: "2.5", user: "bob", seats: 4, region: "nz" }],
    ["2027-03-09T00:00:00Z", { tokens: 7, user: "ann", seats: 2, region: "au" }],
    ["2027-03-10T11:59:59Z", { tokens: 0.25, user: "cy", seats: 5, region: "au" }],
  ];
  const batch = rows.flatMap(([at, props]) => [tokens, requests, peak, users, seats].map((m) => event(m.code, at, props)));
  expect(await sendBatch(key, batch)).toMatchObject({ accepted: 20, duplicates: 0, rejected: [] });
});

describe("GET /customers/{id}/usage", () => {
  it("per UTC day, every bucket listed, for each aggregation", async () => {
    const from = "2027-03-07T00:00:00Z";
    const to = "2027-03-11T00:00:00Z";
    const days = ["2027-03-07T00:00:00.000Z", "2027-03-08T00:00:00.000Z", "2027-03-09T00:00:00.000Z", "2027-03-10T00:00:00.000Z"];
    const zip = (v: string[]) => days.map((d, i) => [d, v[i]]);
    expect(values(await usage(tokens.id, from, to))).toEqual(zip(["0", "12.5", "7", "0.25"]));
    expect(values(await usage(requests.id, from, to))).toEqual(zip(["0", "2", "1", "1"]));
    expect(values(await usage(peak.id, from, to))).toEqual(zip(["0", "10", "7", "0.25"]));
    expect(values(await usage(users.id, from, to))).toEqual(zip(["0", "2", "1", "1"]));
    expect(values(await usage(seats.id, from, to))).toEqual(zip(["0", "4", "2", "5"]));
    // A month bucket, and a meter named by its code.
    expect(values(await usage(users.code, "2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z", "month"))).toEqual([["2027-03-01T00:00:00.000Z", "3"]]);
  });

  it("ranges that cut through an hour are exact (rollups for whole hours, raw events at the ends)", async () => {
    const db = await getDb();
    const sum = (from: string, to: string) => usageFor({ db }, { customer: customer.id, meter: tokens.id, from: new Date(from), to: new Date(to) });
    expect(await sum("2027-03-08T09:30:00Z", "2027-03-10T11:59:59Z")).toBe("9.5");
    expect(await sum("2027-03-08T09:00:00Z", "2027-03-08T09:30:00Z")).toBe("10");
    expect(await sum("2027-03-08T09:15:00Z", "2027-03-10T12:00:00Z")).toBe("19.75");
    const unique = (from: string, to: string) => usageFor({ db }, { customer: customer.id, meter: users.id, from: new Date(from), to: new Date(to) });
    expect(await unique("2027-03-08T09:30:00Z", "2027-03-10T12:00:00Z")).toBe("3");
    expect(await unique("2027-03-08T09:00:00Z", "2027-03-09T00:00:01Z")).toBe("2");
  });

  it("a new version of a meter measures stored events by its own definition; the old version keeps its numbers", async () => {
    const v2 = await answer<Json>(postMeter, key, 200, { path: "/meters", body: { code: tokens.code, aggregation: "sum", value_property: "tokens", filters: { region: ["au"] } } });
    const from = "2027-03-08T00:00:00Z";
    const to = "2027-03-11T00:00:00Z";
    expect(values(await usage(tokens.id, from, to)).map(([, v]) => v)).toEqual(["12.5", "7", "0.25"]);
    expect(values(await usage(v2.id, from, to)).map(([, v]) => v)).toEqual(["10", "7", "0.25"]);
    // Events from now on count for both versions.
    await sendEvent(key, event(tokens.code, "2027-03-10T11:00:00Z", { tokens: 1, region: "au" }));
    expect(values(await usage(tokens.code, from, to)).map(([, v]) => v)).toEqual(["10", "7", "1.25"]);
    expect(values(await usage(tokens.id, from, to)).map(([, v]) => v)).toEqual(["12.5", "7", "1.25"]);
  });

  it("refuses a backwards range and an unknown meter", async () => {
    const res = await refuse(`/customers/${customer.id}/usage?meter=${tokens.id}&from=2027-03-10T00:00:00Z&to=2027-03-09T00:00:00Z`);
    expect(res).toMatchObject({ status: 422, code: "out_of_range", param: "to" });
    expect(await refuse(`/customers/${customer.id}/usage?meter=nope&from=2027-03-08T00:00:00Z&to=2027-03-09T00:00:00Z`)).toMatchObject({ status: 404, param: "meter" });
  });
});

async function refuse(path: string) {
  const { call, problemOf } = await import("../api/support");
  return problemOf(await call(customerUsage, { key, method: "GET", path, params: { id: customer.id } }));
}

describe("late usage", () => {
  it("an event in an invoiced period is accepted within the late window (flagged late), refused after it", async () => {
    // Subscribed 1 Jan 2027; the clock moves to 4 Feb: January was invoiced on 1 Feb.
    const { ctx, customerId, advance } = await clockCustomer(new Date("2027-01-01T00:00:00Z"));
    const { priceId } = await makePlan(ctx.db, { code: `metered-${randomToken(6)}`, name: "Pro", unitAmount: 1000 });
    const { subscription } = await createSubscription({ ...ctx, actor: systemActor("test") }, { customerId, items: [{ priceId, quantity: 1 }] });
    await advance("2027-02-04T00:00:00Z");
    const base = { meter: requests.code, customer: customerId, properties: {} };
    const late = await sendEvent(key, { ...base, identifier: `l-${randomToken(8)}`, timestamp: "2027-01-31T12:00:00Z" });
    expect(late.late).toBe(true);
    const onTime = await sendEvent(key, { ...base, identifier: `l-${randomToken(8)}`, timestamp: "2027-02-02T00:00:00Z" });
    expect(onTime.late).toBe(false);
    expect(await refuseEvent(key, { ...base, identifier: `l-${randomToken(8)}`, timestamp: "2027-01-27T23:59:59Z" })).toMatchObject({ code: "usage_event_too_old" });

    // A subscription's usage is its customer's, over the range asked (January's late event included).
    const range = { meter: requests.id, from: new Date("2027-01-01T00:00:00Z"), to: new Date("2027-02-04T00:00:00Z") };
    expect(await usageFor(ctx, { subscription: subscription.id, ...range })).toBe("2");
    expect(await usageFor(ctx, { customer: customerId, ...range, from: new Date("2027-02-01T00:00:00Z") })).toBe("1");
    await expect(usageFor(ctx, { subscription: "sub_nosuch", ...range })).rejects.toMatchObject({ code: "not_found" });
  });
});
