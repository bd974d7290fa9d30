import { describe, expect, it } from "vitest";
import { roles, type Role } from "@/db/schema";
import { assertSameOrigin } from "@/lib/auth/origin";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { can, isStaff, permissionTable, type Permission } from "@/lib/auth/permissions";
import { limitSignIn } from "@/lib/auth/rate-limit";
import { AppError } from "@/lib/errors";
import { httpStatus } from "@/lib/api/problem";

const Y = true;
const _ = false;

/**
 * The expected permission matrix, written out by hand (S2). A change to lib/auth/permissions.ts
 * must be made here too, deliberately.
 */
const columns: readonly Role[] = ["subscriber", "support", "billing_admin", "finance_viewer", "super_admin"];
const expected: Record<Permission, readonly [boolean, boolean, boolean, boolean, boolean]> = {
  //                          subscriber support billing_admin finance_viewer super_admin
  "portal.self":             [Y, _, _, _, _],
  "console.access":          [_, Y, Y, Y, Y],
  "customers.read":          [_, Y, Y, Y, Y],
  "customers.write":         [_, Y, Y, _, Y],
  "customers.export_pii":    [_, _, Y, _, Y],
  "subscriptions.write":     [_, Y, Y, _, Y],
  "invoices.read":           [_, Y, Y, Y, Y],
  "invoices.void":           [_, _, Y, _, Y],
  "credit.grant":            [_, _, Y, _, Y],
  "refunds.create":          [_, Y, Y, _, Y],
  "payments.record_manual":  [_, _, Y, _, Y],
  "catalog.read":            [_, Y, Y, Y, Y],
  "catalog.write":           [_, _, Y, _, Y],
  "reports.export":          [_, _, Y, Y, Y],
  "emails.read":             [_, Y, Y, Y, Y],
  "audit.read":              [_, _, Y, Y, Y],
  "stripe_events.read":      [_, _, Y, _, Y],
  "api_keys.manage":         [_, _, _, _, Y],
  "staff.manage":            [_, _, _, _, Y],
  "settings.manage":         [_, _, _, _, Y],
  "test_clocks.manage":      [_, _, Y, _, Y],
  "credit_notes.create":     [_, _, Y, _, Y],
  "invoices.send":           [_, Y, Y, _, Y],
  "payments.retry":          [_, Y, Y, _, Y],
  "notes.write":             [_, Y, Y, _, Y],
  "customers.escalate":      [_, Y, Y, _, Y],
  "escalations.resolve":     [_, _, Y, _, Y],
  "usage.reaggregate":       [_, _, Y, _, Y],
  "api_costs.read":          [_, _, Y, Y, Y],
  "api_costs.write":         [_, _, Y, _, Y],
  "leakage.read":            [_, _, Y, Y, Y],
  "leakage.run":             [_, _, Y, _, Y],
  "analytics.read":          [_, _, Y, Y, Y],
  "analytics.targets_write": [_, _, Y, _, Y],
  "fx_rates.write": [_, _, Y, _, Y],
};

const permissions = Object.keys(expected) as Permission[];

describe("permission table", () => {
  it("covers exactly the permissions and roles of the expected matrix", () => {
    expect(Object.keys(permissionTable).sort()).toEqual([...permissions].sort());
    expect([...roles].sort()).toEqual([...columns].sort());
  });

  const cases = permissions.flatMap((permission) => columns.map((role, i) => ({ permission, role, allowed: expected[permission][i] })));
  it.each(cases)("$role → $permission: $allowed", ({ permission, role, allowed }) => {
    expect(can(role, permission)).toBe(allowed);
  });

  it("denies everything without a role", () => {
    for (const permission of permissions) {
      expect(can(null, permission)).toBe(false);
      expect(can(undefined, permission)).toBe(false);
    }
  });

  it("subscribers only manage themselves; finance viewers read but never change money or keys; super admins do everything staff can", () => {
    expect(permissions.filter((p) => can("subscriber", p))).toEqual(["portal.self"]);
    const finance = permissions.filter((p) => can("finance_viewer", p));
    expect(finance.every((p) => /\.(read|access|export)$/.test(p))).toBe(true);
    for (const p of ["customers.write", "invoices.void", "refunds.create", "credit.grant", "api_keys.manage", "customers.export_pii"] as const) {
      expect(can("finance_viewer", p)).toBe(false);
    }
    expect(permissions.filter((p) => !can("super_admin", p))).toEqual(["portal.self"]);
    expect(columns.filter((r) => isStaff(r))).toEqual(["support", "billing_admin", "finance_viewer", "super_admin"]);
  });
});

describe("assertSameOrigin (S3)", () => {
  const rejected = (headers: Record<string, string>) => {
    let caught: unknown;
    try {
      assertSameOrigin(new Headers(headers));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe("origin_rejected");
    expect(httpStatus(caught as AppError)).toBe(403);
  };

  it("accepts an Origin naming the host the request was sent to", () => {
    expect(() => assertSameOrigin(new Headers({ origin: "https://billing.example.test", host: "billing.example.test" }))).not.toThrow();
    expect(() => assertSameOrigin(new Headers({ origin: "http://localhost:3000", host: "localhost:3000" }))).not.toThrow();
    expect(() => assertSameOrigin(new Headers({ origin: "https://billing.example.test", host: "internal:3000", "x-forwarded-host": "billing.example.test" }))).not.toThrow();
  });

  it("rejects a foreign Origin", () => {
    rejected({ origin: "https://evil.example", host: "billing.example.test" });
    rejected({ origin: "https://billing.example.test.evil.example", host: "billing.example.test" });
    rejected({ origin: "http://localhost:3001", host: "localhost:3000" });
  });

  it("rejects a missing Origin", () => {
    rejected({ host: "billing.example.test" });
    rejected({ origin: "https://billing.example.test" });
  });

  it("rejects a malformed Origin", () => {
    rejected({ origin: "not a url", host: "billing.example.test" });
    rejected({ origin: "null", host: "billing.example.test" });
    rejected({ origin: "billing.example.test", host: "billing.example.test" });
  });
});

describe("passwords", () => {
  it("hash with argon2id and verify: right password true, wrong false, no hash false", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain("correct horse");
    expect(await verifyPassword(hash, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(hash, "correct horse battery stapler")).toBe(false);
    expect(await verifyPassword(null, "correct horse battery staple")).toBe(false);
    expect(await verifyPassword(undefined, "")).toBe(false);
    expect(await verifyPassword("not-a-hash", "x")).toBe(false);
    // Salted: the same password hashes differently each time.
    expect(await hashPassword("correct horse battery staple")).not.toBe(hash);
  });
});

describe("sign-in rate limits (S4)", () => {
  const perIpLimit = Number(process.env.SIGNIN_LIMIT_PER_IP ?? 30);

  async function refusal(promise: Promise<unknown>): Promise<AppError> {
    const error = await promise.then(
      () => {
        throw new Error("expected rate_limited");
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("rate_limited");
    expect(httpStatus(error as AppError)).toBe(429);
    return error as AppError;
  }

  it("allows the configured attempts per address (password spraying), then refuses with retryAfterSeconds", async () => {
    const ip = "203.0.113.10";
    for (let i = 0; i < perIpLimit; i++) await limitSignIn(ip, `spray${i}@example.test`);
    const error = await refusal(limitSignIn(ip, "one-more@example.test"));
    const retry = error.extra?.retryAfterSeconds;
    expect(typeof retry).toBe("number");
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);

    // Another address is unaffected, for the same accounts: no lockout an attacker can trigger.
    await expect(limitSignIn("198.51.100.20", "spray0@example.test")).resolves.toBeUndefined();
    await expect(limitSignIn("198.51.100.20", "one-more@example.test")).resolves.toBeUndefined();
  });

  it("limits guessing one account from one address to 10, without locking the account elsewhere", async () => {
    const ip = "203.0.113.77";
    for (let i = 0; i < 10; i++) await limitSignIn(ip, "victim@example.test");
    await refusal(limitSignIn(ip, "Victim@Example.test"));
    // The same address may still try other accounts (until the per-address limit)…
    await expect(limitSignIn(ip, "someone-else@example.test")).resolves.toBeUndefined();
    // …and the victim can still sign in from their own address.
    await expect(limitSignIn("192.0.2.5", "victim@example.test")).resolves.toBeUndefined();
  });
});
