import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { customers, invoiceLines, invoices, paymentMethods, subscriptionItems, subscriptions } from "@/db/schema";
import { selectRows } from "@/db/select-rows";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { ctx } from "../services/support";
import { makeCatalog, makeCustomer } from "../factories";

describe("selectRows", () => {
  it("returns what db.select().from(table) returns, value for value (timestamps, jsonb, bigint, nulls), in the order asked", async () => {
    const db = await getDb();
    const c = ctx(db);
    const catalog = await makeCatalog(db);
    for (const k of [1, 2]) {
      const customer = await makeCustomer(c, { name: k === 1 ? "One" : "Row Two", address: { country: "AU", line1: `${k} Test St` } });
      await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: k }] });
    }
    for (const table of [customers, paymentMethods, subscriptions, subscriptionItems, invoices, invoiceLines]) {
      const viaDrizzle = await db.select().from(table).orderBy(sql`id`);
      const viaSelectRows = await selectRows(db, table, sql`order by id`);
      expect(viaDrizzle.length).toBeGreaterThan(0);
      expect(viaSelectRows).toEqual(viaDrizzle);
    }
    const locked = await db.transaction((tx) => selectRows(tx, subscriptions, sql`where ${subscriptions.status} = 'active' order by id limit ${1} for update skip locked`));
    expect(locked).toHaveLength(1);
    expect(locked[0]?.currentPeriodStart).toBeInstanceOf(Date);
  });
});
