import { describe, expect, it } from "vitest";
import { addToLogContext, withLogContext } from "./context";
import { configuredLevel, createLogger } from "./logger";

function capture(level: Parameters<typeof createLogger>[1] = "debug") {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }, level);
  return { logger, lines };
}

describe("the logger", () => {
  it("writes one JSON line per call with the level's name, the time and the running context", () => {
    const { logger, lines } = capture();
    withLogContext({ request_id: "req_1" }, () => {
      addToLogContext({ api_key_id: "key_1" });
      logger.info({ route: "/api/v1/customers" }, "request");
    });
    logger.info("outside");
    expect(lines[0]).toMatchObject({ level: "info", msg: "request", request_id: "req_1", api_key_id: "key_1", route: "/api/v1/customers", service: "tally" });
    expect(typeof lines[0]?.time).toBe("string");
    expect(lines[1]).not.toHaveProperty("request_id");
  });

  it("a nested context replaces the outer one (a job nudged by a request is not that request)", () => {
    const { logger, lines } = capture();
    withLogContext({ request_id: "req_1" }, () => withLogContext({ job: "outbox.dispatch" }, () => logger.info("job")));
    expect(lines[0]).toMatchObject({ job: "outbox.dispatch" });
    expect(lines[0]).not.toHaveProperty("request_id");
  });

  it("redacts secrets, tokens, passwords and cards should any reach it", () => {
    const { logger, lines } = capture();
    logger.info({ authorization: "Bearer tk_test_secret", password: "hunter2", token: "t", headers: { authorization: "x", cookie: "c" }, nested: { secret: "whsec_1", card: "4242" } }, "careful");
    const text = JSON.stringify(lines[0]);
    for (const secret of ["tk_test_secret", "hunter2", "whsec_1", "4242", '"c"']) expect(text).not.toContain(secret);
    expect(text).toContain("[redacted]");
  });

  it("LOG_LEVEL picks the level; anything unknown is info", () => {
    expect(configuredLevel("debug")).toBe("debug");
    expect(configuredLevel(" WARN ")).toBe("warn");
    expect(configuredLevel("loud")).toBe("info");
    expect(configuredLevel(undefined)).toBe("info");
    const { logger, lines } = capture("warn");
    logger.info("quiet");
    logger.warn("heard");
    expect(lines.map((l) => l.msg)).toEqual(["heard"]);
  });

  it("an error is logged with its message and stack", () => {
    const { logger, lines } = capture();
    logger.error({ err: new Error("boom") }, "failed");
    expect(lines[0]).toMatchObject({ level: "error", msg: "failed", err: { message: "boom", type: "Error" } });
    expect(String((lines[0]?.err as { stack: string }).stack)).toContain("boom");
  });
});
