import fs from "node:fs";
import { test as base, expect, type BrowserContext } from "@playwright/test";
import { encode } from "next-auth/jwt";
import type { Role } from "@/db/schema";

interface Fixtures {
  apiKey: string;
  users: Record<Role, string>;
}

let cached: Fixtures | undefined;
export function fixtures(): Fixtures {
  cached ??= JSON.parse(fs.readFileSync(".e2e/fixtures.json", "utf8")) as Fixtures;
  return cached;
}

export const E2E_SECRET = "e2e-secret-for-playwright-only-000000";

/** Sign a context in as a demo user by setting the session cookie (one test signs in through the UI). */
export async function signInAs(context: BrowserContext, role: Role, baseURL: string): Promise<void> {
  const uid = fixtures().users[role];
  const token = await encode({ token: { uid, sub: uid }, secret: E2E_SECRET });
  await context.addCookies([{ name: "next-auth.session-token", value: token, url: baseURL, httpOnly: true, sameSite: "Lax" }]);
}

export const test = base.extend<{ api: (path: string, init?: { method?: string; body?: unknown; idempotencyKey?: string }) => Promise<{ status: number; body: Record<string, unknown> }> }>({
  api: async ({ playwright, baseURL }, use) => {
    const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${fixtures().apiKey}` } });
    await use(async (path, init = {}) => {
      const response = await request.fetch(`/api/v1${path}`, {
        method: init.method ?? "GET",
        data: init.body === undefined ? undefined : JSON.stringify(init.body),
        headers: { "content-type": "application/json", ...(init.idempotencyKey ? { "idempotency-key": init.idempotencyKey } : {}) },
      });
      return { status: response.status(), body: (await response.json()) as Record<string, unknown> };
    });
    await request.dispose();
  },
});

export { expect };
