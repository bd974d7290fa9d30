import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { authSecret, MISSING_AUTH_SECRET } from "@/lib/auth/secret";
import { startupNotices, startupRefusal } from "@/lib/boot/startup-checks";
import { logged, messages } from "@/tests/setup/logs";

// The server's boot (instrumentation.ts → bootServer) keeps to these in this process.
process.env.TALLY_JOBS = "off";
delete process.env.STRIPE_SECRET_KEY;
delete process.env.RESEND_API_KEY;

const onPostgres = !!process.env.DATABASE_URL;

/** bootServer in a child process, as `next start` runs it, with `env` (null: unset). */
function boot(env: Record<string, string | null>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, TALLY_JOBS: "off" };
  for (const [name, value] of Object.entries(env)) {
    if (value === null) delete childEnv[name];
    else childEnv[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(process.cwd(), "node_modules/.bin/tsx"), ["--eval", "import('./lib/boot/boot-server.ts').then((m) => m.bootServer()).then(() => process.exit(0))"], {
      cwd: process.cwd(),
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("production mode is safe by default", () => {
  it("with DATABASE_URL and no NEXTAUTH_SECRET the server refuses to start, with one line saying why", async () => {
    const result = await boot({ DATABASE_URL: "postgres://nobody@127.0.0.1:9/none", NEXTAUTH_SECRET: null });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([`[tally] Refusing to start: ${MISSING_AUTH_SECRET}`]);
    expect(result.stdout).toBe("");
  });

  it("the rule: NEXTAUTH_SECRET is required with DATABASE_URL, and only then", () => {
    expect(startupRefusal({ DATABASE_URL: "postgres://x/y" })).toBe(MISSING_AUTH_SECRET);
    expect(startupRefusal({ DATABASE_URL: "postgres://x/y", NEXTAUTH_SECRET: "a-secret-of-sixteen+" })).toBeNull();
    expect(startupRefusal({})).toBeNull();
    // Nothing generates one behind the rule's back: the secret itself is refused too.
    const saved = { url: process.env.DATABASE_URL, secret: process.env.NEXTAUTH_SECRET };
    process.env.DATABASE_URL = "postgres://x/y";
    delete process.env.NEXTAUTH_SECRET;
    try {
      expect(() => authSecret()).toThrow(MISSING_AUTH_SECRET);
      // `next build` prerenders without the runtime's secret: a throwaway one, the same for the whole build.
      process.env.NEXT_PHASE = "phase-production-build";
      expect(authSecret()).toMatch(/^[0-9A-Za-z]{48}$/);
      expect(authSecret()).toBe(authSecret());
    } finally {
      delete process.env.NEXT_PHASE;
      if (saved.url === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved.url;
      if (saved.secret !== undefined) process.env.NEXTAUTH_SECRET = saved.secret;
    }
  });

  it("warns loudly on every production-like start that uses the sandbox gateway or the mailbox; one calm line on the demo", () => {
    const production = { DATABASE_URL: "postgres://x/y", NEXTAUTH_SECRET: "a-secret-of-sixteen+" };
    const both = startupNotices(production);
    expect(both.notice).toBeNull();
    expect(both.warnings.join("\n")).toMatch(/WARNING: DATABASE_URL is set, but Tally is not ready for real customers/);
    expect(both.warnings.join("\n")).toContain("payments go through the SANDBOX gateway");
    expect(both.warnings.join("\n")).toContain("emails are NOT sent");
    const mailboxOnly = startupNotices({ ...production, STRIPE_SECRET_KEY: "sk_live_x" });
    expect(mailboxOnly.warnings.join("\n")).not.toContain("SANDBOX");
    expect(mailboxOnly.warnings.join("\n")).toContain("emails are NOT sent");
    expect(startupNotices({ ...production, STRIPE_SECRET_KEY: "sk_live_x", RESEND_API_KEY: "re_x" })).toEqual({ warnings: [], notice: null });
    expect(startupNotices({})).toEqual({ warnings: [], notice: "[tally] demo mode: sandbox payments (test cards only); emails kept in the mailbox at /admin/emails (sign-in links are printed here)." });
  });

  it(`a real boot ${onPostgres ? "on PostgreSQL prints the warnings" : "on the embedded database prints the one-line notice"}`, async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const { bootServer } = await import("@/lib/boot/boot-server");
    await bootServer();
    const warned = warn.mock.calls.map((c) => String(c[0])).join("\n");
    const printed = log.mock.calls.map((c) => String(c[0])).join("\n");
    if (onPostgres) {
      expect(warned).toContain("payments go through the SANDBOX gateway");
      expect(warned).toContain("emails are NOT sent");
    } else {
      expect(warned).toBe("");
      expect(printed).toContain("[tally] demo mode: sandbox payments");
    }
    expect(messages(logged("info")).join("\n")).toContain("ready: database");
  });
});
