import { describe, expect, it } from "vitest";
import { newId, randomToken } from "./ids";

describe("random tokens and ids", () => {
  it("tokens have the asked length, only base62 characters, and each character about equally often", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const token = randomToken(25);
      expect(token).toMatch(/^[0-9A-Za-z]{25}$/);
      for (const ch of token) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    // 100,000 characters over 62 symbols: chi-square with 61 degrees of freedom stays far below 120
    // unless the draw is biased (a plain `byte % 62` would put ~4% more weight on 0–7).
    const expected = 100_000 / 62;
    const chi = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    expect(chi).toBeLessThan(120);
  });

  it("ids are unique and sort in the order they were made", () => {
    const ids = Array.from({ length: 20_000 }, () => newId("invoice"));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
