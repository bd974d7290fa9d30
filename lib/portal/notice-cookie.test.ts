import { describe, expect, it } from "vitest";
import { decodeNotice, encodeNotice, FORGET_NOTICE_COOKIE, NOTICE_COOKIE, noticeForPath } from "./notice-cookie";

describe("portal notice cookie", () => {
  const charged = { path: "/", text: "Your plan has changed. We charged $7.26.", tone: "success" as const };

  it("round-trips a notice, words and all (quotes, semicolons, non-ASCII)", () => {
    const odd = { path: "/invoices/in_1", text: `Payment of A$10.00 received; "thank you" — merci.`, tone: "warning" as const };
    expect(decodeNotice(encodeNotice(charged))).toEqual(charged);
    expect(decodeNotice(encodeNotice(odd))).toEqual(odd);
    // A cookie value needs no escaping: base64url only.
    expect(encodeNotice(odd)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("belongs to its page only: another page, or the same page under another path, shows nothing", () => {
    const value = encodeNotice(charged);
    expect(noticeForPath(value, "/")).toEqual(charged);
    expect(noticeForPath(value, "/payment-methods/add")).toBeNull();
    expect(noticeForPath(encodeNotice({ ...charged, path: "/invoices/in_1" }), "/invoices/in_2")).toBeNull();
    expect(noticeForPath(undefined, "/")).toBeNull();
  });

  it.each([
    ["empty", ""],
    ["not base64url", "abc=+/"],
    ["not JSON", Buffer.from("hello").toString("base64url")],
    ["an object instead of the tuple", Buffer.from(JSON.stringify({ path: "/", text: "x", tone: "success" })).toString("base64url")],
    ["a path that is not ours", Buffer.from(JSON.stringify(["https://evil.example/", "x", "success"])).toString("base64url")],
    ["an unknown tone", Buffer.from(JSON.stringify(["/", "x", "danger"])).toString("base64url")],
    ["empty words", Buffer.from(JSON.stringify(["/", "", "success"])).toString("base64url")],
    ["too many words", Buffer.from(JSON.stringify(["/", "x".repeat(401), "success"])).toString("base64url")],
  ])("refuses %s", (_name, value) => {
    expect(decodeNotice(value)).toBeNull();
  });

  it("is forgotten by expiring the same cookie", () => {
    expect(FORGET_NOTICE_COOKIE.startsWith(`${NOTICE_COOKIE}=;`)).toBe(true);
    expect(FORGET_NOTICE_COOKIE).toContain("Max-Age=0");
    expect(FORGET_NOTICE_COOKIE).toContain("Path=/");
  });
});
