import { eq, sql } from "drizzle-orm";
import { decode, encode, type JWT } from "next-auth/jwt";
import type { Provider } from "next-auth/providers/index";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { authOptions } from "@/lib/auth/options";
import { hashPassword } from "@/lib/auth/password";
import { currentUser } from "@/lib/auth/session";
import { mintSessionToken } from "@/lib/auth/session-cookie";
import { authSecret } from "@/lib/auth/secret";
import { CLIENT_ADDRESS_HEADER, clientAddressHeaderValue } from "@/lib/http/client-address";
import { createUser } from "@/lib/services/users/create-user";
import { changeStaffRole, setStaffActive } from "@/lib/services/users/staff";

// The browser's session cookie on this request: getServerSession decodes it and runs Tally's
// session callback, as next-auth does.
const browser = vi.hoisted(() => ({ cookie: undefined as string | undefined }));
vi.mock("next-auth", async (importOriginal) => {
  const actual = await importOriginal<typeof import("next-auth")>();
  return {
    ...actual,
    getServerSession: vi.fn(async () => {
      const token = browser.cookie ? await decode({ token: browser.cookie, secret: authSecret() }) : null;
      if (!token) return null;
      return authOptions.callbacks!.session!({ session: { expires: "" }, token } as never);
    }),
  };
});

const now = new Date("2026-12-05T09:00:00Z");
const PASSWORD = "a long enough password";

/** Sign in with the password as next-auth does: authorize(), the jwt callback, the encoded cookie. */
async function signIn(email: string, password = PASSWORD): Promise<string> {
  const provider = authOptions.providers.find((p: Provider) => (p as { options?: { id?: string } }).options?.id === "password") as unknown as {
    options: { authorize: (c: Record<string, string>, r: { headers: Record<string, string> }) => Promise<{ id: string } | null> };
  };
  const user = await provider.options.authorize({ email, password }, { headers: { [CLIENT_ADDRESS_HEADER]: clientAddressHeaderValue("192.0.2.44") } });
  if (!user) throw new Error(`sign-in refused for ${email}`);
  const token = await authOptions.callbacks!.jwt!({ token: { sub: user.id }, user } as never);
  return encode({ token: token as JWT, secret: authSecret() });
}

/** next-auth's sign-out endpoint: decode the cookie, fire events.signOut, clear the cookie. */
async function signOut(cookie: string): Promise<void> {
  const token = await decode({ token: cookie, secret: authSecret() });
  await authOptions.events!.signOut!({ token: token! } as never);
}

async function whoIs(cookie: string) {
  browser.cookie = cookie;
  return currentUser();
}

let seq = 0;
async function person(role: "subscriber" | "support" | "super_admin") {
  const db = await getDb();
  seq += 1;
  return createUser({ db, actor: { type: "system", id: "test" }, now }, { email: `person${seq}-${role}@example.test`, role, password: PASSWORD, emailVerified: true });
}

async function superAdminCtx() {
  const admin = await person("super_admin");
  return { db: await getDb(), actor: { type: "user", id: admin.id, role: "super_admin" } as Actor, now };
}

describe("sessions end when they should", () => {
  it("a cookie saved before sign-out is refused after it, while a new sign-in and other people's sessions work", async () => {
    const alice = await person("subscriber");
    const bob = await person("subscriber");
    const aliceSaved = await signIn(alice.email);
    const aliceOtherDevice = await signIn(alice.email);
    const bobCookie = await signIn(bob.email);
    expect(await whoIs(aliceSaved)).toMatchObject({ id: alice.id });

    await signOut(aliceSaved);

    expect(await whoIs(aliceSaved)).toBeNull();
    // Sign-out ends every session of that person (a version, not a list of cookies).
    expect(await whoIs(aliceOtherDevice)).toBeNull();
    expect(await whoIs(bobCookie)).toMatchObject({ id: bob.id });
    const fresh = await signIn(alice.email);
    expect(await whoIs(fresh)).toMatchObject({ id: alice.id });
    // Signing out again with the dead cookie changes nothing: the new session lives on.
    await signOut(aliceSaved);
    expect(await whoIs(fresh)).toMatchObject({ id: alice.id });

    const db = await getDb();
    const entries = await db.select().from(auditLog).where(eq(auditLog.entityId, alice.id));
    expect(entries.filter((e) => e.action === "user.signed_out")).toHaveLength(1);
  });

  it("a role change ends the staff member's sessions, not the others'", async () => {
    const ctx = await superAdminCtx();
    const staff = await person("support");
    const colleague = await person("support");
    const saved = await signIn(staff.email);
    const colleagueCookie = await signIn(colleague.email);
    expect(await whoIs(saved)).toMatchObject({ role: "support" });

    await changeStaffRole(ctx, { userId: staff.id, role: "billing_admin" });

    expect(await whoIs(saved)).toBeNull();
    expect(await whoIs(colleagueCookie)).toMatchObject({ id: colleague.id, role: "support" });
    expect(await whoIs(await signIn(staff.email))).toMatchObject({ role: "billing_admin" });
  });

  it("deactivation ends sessions for good: reactivating does not bring the old cookie back", async () => {
    const ctx = await superAdminCtx();
    const staff = await person("support");
    const saved = await signIn(staff.email);
    await setStaffActive(ctx, { userId: staff.id, active: false });
    expect(await whoIs(saved)).toBeNull();
    await setStaffActive(ctx, { userId: staff.id, active: true });
    expect(await whoIs(saved)).toBeNull();
    expect(await whoIs(await signIn(staff.email))).toMatchObject({ id: staff.id });
  });

  it("a password or email change, however it is written, ends the sessions", async () => {
    const db = await getDb();
    const carol = await person("subscriber");
    const saved = await signIn(carol.email);
    await db.update(users).set({ passwordHash: await hashPassword("another long password") }).where(eq(users.id, carol.id));
    expect(await whoIs(saved)).toBeNull();
    const next = await signIn(carol.email, "another long password");
    expect(await whoIs(next)).toMatchObject({ id: carol.id });
    await db.execute(sql`update users set email = ${`renamed-${carol.email}`} where id = ${carol.id}`);
    expect(await whoIs(next)).toBeNull();
    // Unrelated edits (a name, a verified email) leave sessions alone.
    const again = await signIn(`renamed-${carol.email}`, "another long password");
    await db.update(users).set({ name: "Carol", emailVerifiedAt: now }).where(eq(users.id, carol.id));
    expect(await whoIs(again)).toMatchObject({ id: carol.id });
  });

  it("portal links mint cookies under the current version, and cookies from before versions count as version 0", async () => {
    const dave = await person("subscriber");
    const portalCookie = await mintSessionToken(dave);
    expect(await whoIs(portalCookie.value)).toMatchObject({ id: dave.id });
    const legacy = await encode({ token: { sub: dave.id, uid: dave.id }, secret: authSecret() });
    expect(await whoIs(legacy)).toMatchObject({ id: dave.id });
    await signOut(portalCookie.value);
    expect(await whoIs(portalCookie.value)).toBeNull();
    expect(await whoIs(legacy)).toBeNull();
    expect(await whoIs(await signIn(dave.email))).toMatchObject({ id: dave.id });
  });
});
