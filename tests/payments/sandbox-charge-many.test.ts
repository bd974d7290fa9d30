import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb, inTextArray, type Db } from "@/db/client";
import { sandboxCharges } from "@/db/schema";
import { randomToken } from "@/lib/ids";
import type { ChargeRequest, ChargeResult } from "@/lib/payments";
import { sandboxGateway } from "@/lib/payments/sandbox/sandbox-gateway";

// The sandbox's batch charge (the billing run's): each request answered exactly as `charge`
// would answer it alone, with the whole batch recorded in a few statements.
let db: Db;
beforeAll(async () => {
  db = await getDb();
});

const request = (key: string, over: Partial<ChargeRequest> = {}): ChargeRequest => ({
  amount: 2900,
  currency: "aud",
  paymentMethodGatewayId: `pm_card_visa:${randomToken(6)}`,
  customerId: "cus_batch",
  idempotencyKey: key,
  metadata: {},
  ...over,
});
const status = (r: ChargeResult | Error) => (r instanceof Error ? `error: ${r.message}` : r.status);

describe("sandbox chargeMany", () => {
  it("answers each request in order as the card decides, records one charge per key, and replays a key already charged", async () => {
    const tag = randomToken(8);
    const visa = request(`k_${tag}_1`);
    const requests = [
      visa,
      request(`k_${tag}_2`, { paymentMethodGatewayId: "pm_card_chargeDeclined:x" }),
      request(`k_${tag}_3`, { paymentMethodGatewayId: "pm_card_authenticationRequired:x" }),
      request(`k_${tag}_4`, { paymentMethodGatewayId: "pm_not_a_test_card:x" }),
    ];
    const first = await sandboxGateway.chargeMany(requests);
    expect(first.map(status)).toEqual(["succeeded", "failed", "requires_action", expect.stringMatching(/^error: The sandbox accepts only Stripe's test cards/)]);
    expect(first[0]).toMatchObject({ status: "succeeded", fee: 79, riskLevel: "normal" });

    const keys = requests.map((r) => r.idempotencyKey);
    expect(await db.select().from(sandboxCharges).where(inTextArray(sandboxCharges.idempotencyKey, keys))).toHaveLength(3);

    // Again, alone and in a batch: the same answers (same gateway ids), nothing new recorded.
    const again = await sandboxGateway.chargeMany(requests.slice(0, 3));
    expect(again.map((r) => (r instanceof Error ? null : r.gatewayId))).toEqual(first.slice(0, 3).map((r) => (r instanceof Error ? null : r.gatewayId)));
    expect(await sandboxGateway.charge(visa)).toEqual(first[0]);
    expect(await db.select().from(sandboxCharges).where(inTextArray(sandboxCharges.idempotencyKey, keys))).toHaveLength(3);
  });

  it("refuses a known key with other parameters, like Stripe, without touching the rest of the batch", async () => {
    const tag = randomToken(8);
    const original = request(`k_${tag}_1`);
    await sandboxGateway.charge(original);
    const [changed, fresh] = await sandboxGateway.chargeMany([{ ...original, amount: 9900 }, request(`k_${tag}_2`)]);
    expect(changed).toBeInstanceOf(Error);
    expect((changed as Error).message).toMatch(/same parameters/);
    expect(fresh).toMatchObject({ status: "succeeded" });
    await expect(sandboxGateway.charge({ ...original, amount: 9900 })).rejects.toThrow(/same parameters/);
  });

  it("the same key twice in one batch is charged once: the second replays the first", async () => {
    const key = `k_${randomToken(8)}`;
    const one = request(key);
    const [a, b] = await sandboxGateway.chargeMany([one, one]);
    expect(a).toEqual(b);
    expect(await db.select().from(sandboxCharges).where(eq(sandboxCharges.idempotencyKey, key))).toHaveLength(1);
  });

  it("concurrent batches with overlapping keys charge each key once and agree on every answer", async () => {
    const tag = randomToken(8);
    const requests = Array.from({ length: 40 }, (_, i) => request(`k_${tag}_${i}`, { paymentMethodGatewayId: `pm_card_visa:${tag}${i}` }));
    const answers = await Promise.all([sandboxGateway.chargeMany(requests), sandboxGateway.chargeMany([...requests].reverse()), sandboxGateway.chargeMany(requests.slice(10, 30))]);
    const ids = (rs: (ChargeResult | Error)[]) => rs.map((r) => (r instanceof Error ? r.message : r.gatewayId));
    expect(ids(answers[1]!).reverse()).toEqual(ids(answers[0]!));
    expect(ids(answers[2]!)).toEqual(ids(answers[0]!).slice(10, 30));
    expect(await db.select().from(sandboxCharges).where(inTextArray(sandboxCharges.idempotencyKey, requests.map((r) => r.idempotencyKey)))).toHaveLength(40);
  });
});
