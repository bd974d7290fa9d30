import { afterEach, describe, expect, it } from "vitest";
import { toList } from "@/lib/api/pagination";
import { call, getThings, newKey, postThing, problemOf } from "./support";

type ThingList = { object: string; data: Array<{ id: string; name: string }>; has_more: boolean; url: string };

describe("lists", () => {
  it("pages with limit and starting_after, reporting has_more", async () => {
    const { key } = await newKey();
    for (let i = 0; i < 5; i++) {
      expect((await call(postThing, { key, body: { name: `Page ${i}`, amount: i } })).status).toBe(201);
    }
    const first = await call(getThings, { key, method: "GET", path: "/things?limit=2" });
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as ThingList;
    expect(page1).toMatchObject({ object: "list", has_more: true, url: "/api/v1/things" });
    expect(page1.data.map((t) => t.name)).toEqual(["Page 4", "Page 3"]);

    const cursor = page1.data[1]?.id ?? "";
    const page2 = (await (await call(getThings, { key, method: "GET", path: `/things?limit=2&starting_after=${cursor}` })).json()) as ThingList;
    expect(page2.data.map((t) => t.name)).toEqual(["Page 2", "Page 1"]);
    expect(page2.has_more).toBe(true);

    const last = (await (await call(getThings, { key, method: "GET", path: `/things?limit=100&starting_after=${page2.data[1]?.id ?? ""}` })).json()) as ThingList;
    expect(last.data.map((t) => t.name)).toEqual(["Page 0"]);
    expect(last.has_more).toBe(false);

    const defaults = (await (await call(getThings, { key, method: "GET", path: "/things" })).json()) as ThingList;
    expect(defaults.data).toHaveLength(5);
  });

  it("validates limit and refuses unknown query parameters", async () => {
    const { key } = await newKey();
    for (const [query, code] of [
      ["limit=0", "out_of_range"],
      ["limit=101", "out_of_range"],
      ["limit=ten", "validation_failed"],
      ["starting_after=%27%3B%20drop", "validation_failed"],
      ["colour=red", "unknown_field"],
    ] as const) {
      const problem = await problemOf(await call(getThings, { key, method: "GET", path: `/things?${query}` }));
      expect(problem.code).toBe(code);
      expect(problem.param).toBe(query.split("=")[0]);
    }
  });

  it("toList trims the extra row and keeps list order when reading backwards", () => {
    expect(toList([1, 2, 3], 2, "/x")).toEqual({ object: "list", data: [1, 2], has_more: true, url: "/x" });
    expect(toList([1, 2], 2, "/x").has_more).toBe(false);
    expect(toList([3, 2, 1], 2, "/x", "backward")).toEqual({ object: "list", data: [2, 3], has_more: true, url: "/x" });
  });
});

describe("rate limit", () => {
  const previous = process.env.API_RATE_LIMIT_PER_SECOND;
  afterEach(() => {
    if (previous === undefined) delete process.env.API_RATE_LIMIT_PER_SECOND;
    else process.env.API_RATE_LIMIT_PER_SECOND = previous;
  });

  it("answers 429 rate_limited with Retry-After past the per-key budget, without touching other keys", async () => {
    process.env.API_RATE_LIMIT_PER_SECOND = "3";
    const { key } = await newKey();
    const other = await newKey();
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 8; i++) {
      const res = await call(getThings, { key, method: "GET", path: "/things?limit=1" });
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    // The budget is per second, so a slow machine may start a new window mid-loop; at least one is refused.
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses).toContain(429);
    if (!limited) throw new Error("no 429");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await problemOf(limited)).toMatchObject({ status: 429, code: "rate_limited" });
    expect((await call(getThings, { key: other.key, method: "GET", path: "/things?limit=1" })).status).toBe(200);
  });
});
