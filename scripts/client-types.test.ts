import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CLIENT_TYPES_PATH, renderClientTypes } from "./client-types";

describe("the typed client's types", () => {
  it("lib/client/openapi.d.ts matches the OpenAPI document (run `npm run client:generate` after changing an operation)", async () => {
    const committed = readFileSync(CLIENT_TYPES_PATH, "utf8");
    const current = await renderClientTypes();
    expect(committed === current, "lib/client/openapi.d.ts is out of date: run `npm run client:generate`").toBe(true);
  }, 60_000);
});
