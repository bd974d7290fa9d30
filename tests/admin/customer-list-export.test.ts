import { beforeAll, describe, expect, it, vi } from "vitest";
import { and, desc, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { getDb, type Db } from "@/db/client";
import { auditLog, customers, users, type Role } from "@/db/schema";
import { parseCsv } from "@/lib/csv/csv";
import { newId } from "@/lib/ids";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { EXPORT_CHUNK } from "@/lib/services/customers/export-customer-list";
import { ctx } from "../services/support";
import { makeCatalog, makeCustomer, type Catalog } from "../factories";

// The session is next-auth's (a library): the test decides who is signed in. Everything else is real.
const session = vi.hoisted(() => ({ uid: null as string | null }));
vi.mock("next-auth", async (importOriginal) => {
  const actual = await importOriginal<typeof import("next-auth")>();
  return { ...actual, getServerSession: vi.fn(async () => (session.uid ? { uid: session.uid } : null)) };
});

const { GET } = await import("@/app/admin/customers/export.csv/route");

let db: Db;
let catalog: Catalog;
const staff: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
  for (const role of ["support", "billing_admin", "finance_viewer", "super_admin"] as const) {
    const id = newId("user");
    await db.insert(users).values({ id, email: `${role}@staff.test`, name: role, role });
    staff[role] = id;
  }
});

function get(query: string, role: Role | null): Promise<Response> {
  session.uid = role ? (staff[role] ?? null) : null;
  return GET(new NextRequest(`http://tally.test/admin/customers/export.csv${query}`));
}

describe("GET /admin/customers/export.csv", () => {
  it("is refused without a session (401) and to support and finance viewers (403, logged); nothing is exported", async () => {
    expect((await get("", null)).status).toBe(401);
    for (const role of ["support", "finance_viewer"] as const) {
      const response = await get("", role);
      expect(response.status).toBe(403);
      expect(await response.text()).toMatch(/does not allow/);
      const [denial] = await db.select().from(auditLog).where(and(eq(auditLog.actorId, staff[role]!), eq(auditLog.action, "permission.denied")));
      expect(denial?.entityId).toBe("customers.export_pii");
    }
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "customers.exported"))).toEqual([]);
  });

  it("streams every matching customer as CSV for a billing admin, neutralizes formulas, and audits who, the filters and the row count", async () => {
    const c = ctx(db);
    const tag = `exp${Date.now().toString(36)}`;
    const evil = await makeCustomer(c, { name: `=HYPERLINK("http://evil.test","${tag}")`, email: `-evil-${tag}@example.test` });
    await createSubscription(c, { customerId: evil.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    await db.update(customers).set({ creditBalance: -1250, externalId: `@${tag}` }).where(eq(customers.id, evil.id));
    const other = await makeCustomer(c, { name: `Plain, "Quoted" ${tag}`, card: null, address: { country: "NZ" } });

    const response = await get(`?q=${tag}&sort=name`, "billing_admin");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="customers-\d{4}-\d\d-\d\d\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    // The UTF-8 byte-order mark Excel needs (Response.text() would strip it).
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(["id", "external_id", "name", "email", "subscription_status", "plan", "dunning_state", "country", "currency", "credit_balance", "created_at"]);
    // Sorted by name: `=HYPERLINK…` sorts before `Plain…`.
    expect(rows).toEqual([
      [evil.id, `'@${tag}`, `'=HYPERLINK("http://evil.test","${tag}")`, `'-evil-${tag}@example.test`, "active", catalog.plan.name, "active", "AU", "AUD", "-12.50", evil.createdAt.toISOString()],
      [other.id, "", `Plain, "Quoted" ${tag}`, other.email, "none", "", "active", "NZ", "AUD", "0.00", other.createdAt.toISOString()],
    ]);

    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "customers.exported")).orderBy(desc(auditLog.id)).limit(1);
    expect(entry).toMatchObject({ actorType: "user", actorId: staff.billing_admin, entityType: "customer_list" });
    expect(entry?.after).toEqual({ format: "csv", rows: 2, filters: { q: tag }, sort: "name:asc" });
  });

  it("walks more customers than one chunk without losing or repeating any, for the filters given", async () => {
    const c = ctx(db);
    const tag = `bulk${Date.now().toString(36)}`;
    // More than one keyset chunk, inserted in bulk (the services would be slow for this many).
    const total = EXPORT_CHUNK + 37;
    await db.insert(customers).values(
      Array.from({ length: total }, (_, i) => ({
        id: newId("customer"),
        email: `${tag}-${i}@example.test`,
        name: i % 2 ? `Even ${tag}` : null,
        currency: "eur",
        timezone: "UTC",
        address: { country: "DE" },
        createdAt: c.now,
      })),
    );
    const response = await get(`?q=${tag}&currency=EUR&country=de`, "super_admin");
    const rows = parseCsv(await response.text()).slice(1);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r[0])).size).toBe(total);
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "customers.exported")).orderBy(desc(auditLog.id)).limit(1);
    expect(entry?.after).toMatchObject({ rows: total, filters: { q: tag, currency: "eur", country: "DE" }, sort: "created:desc" });
  });
});
