import { afterEach, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { GET, POST, PUT } from "@/app/api/inngest/route";
import { functions } from "@/inngest/functions";
import { inngestConfigured } from "@/lib/jobs/inngest-port";
import { startLocalRunner } from "@/lib/jobs/local-runner";

const saved = { ...process.env };
afterEach(() => {
  for (const key of ["INNGEST_DEV", "INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

const unset = () => {
  delete process.env.INNGEST_DEV;
  delete process.env.INNGEST_EVENT_KEY;
  delete process.env.INNGEST_SIGNING_KEY;
};

describe("inngestConfigured", () => {
  it("needs both keys, or INNGEST_DEV=1", () => {
    expect(inngestConfigured({})).toBe(false);
    expect(inngestConfigured({ INNGEST_EVENT_KEY: "e" })).toBe(false);
    expect(inngestConfigured({ INNGEST_SIGNING_KEY: "signkey-test-00" })).toBe(false);
    expect(inngestConfigured({ INNGEST_EVENT_KEY: "e", INNGEST_SIGNING_KEY: "signkey-test-00" })).toBe(true);
    expect(inngestConfigured({ INNGEST_DEV: "1" })).toBe(true);
    expect(inngestConfigured({ INNGEST_DEV: "0" })).toBe(false);
  });
});

describe("/api/inngest", () => {
  it("answers 503 problem+json on every method when Inngest is not configured", async () => {
    unset();
    for (const [method, handler] of [["GET", GET], ["POST", POST], ["PUT", PUT]] as const) {
      const res = await handler(new NextRequest("http://localhost/api/inngest", { method }), {});
      expect(res.status).toBe(503);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const body = (await res.json()) as { detail: string; status: number };
      expect(body.status).toBe(503);
      expect(body.detail).toContain("Inngest is not configured");
    }
  });

  it("serves the functions when configured (dev mode)", async () => {
    unset();
    process.env.INNGEST_DEV = "1";
    // The client reads INNGEST_DEV when it is constructed: load a fresh copy of the route.
    vi.resetModules();
    const route = await import("@/app/api/inngest/route");
    const res = await route.GET(new NextRequest("http://localhost/api/inngest"), {});
    expect(res.status).toBe(200);
    const body = (await res.json()) as { function_count: number };
    expect(body.function_count).toBe(functions.length);
  });
});

describe("local runner", () => {
  it("does not start when Inngest owns the jobs", () => {
    unset();
    process.env.INNGEST_DEV = "1";
    startLocalRunner();
    expect((globalThis as { __tallyRunner?: unknown }).__tallyRunner).toBeUndefined();
  });
});
