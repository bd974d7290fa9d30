import { describe, expect, it } from "vitest";
import { GET as openapiRoute } from "@/app/api/v1/openapi.json/route";
import { GET as liveness } from "@/app/api/health/route";
import { GET as readinessRoute } from "@/app/api/health/ready/route";
import { getDb } from "@/db/client";
import { readiness } from "@/lib/api/health";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { createThing, listThings, priceThing } from "./support";
import { messages, takeLogged } from "@/tests/setup/logs";

type Json = Record<string, unknown>;

/** Every local $ref in the document points at something that exists. */
function unresolvedRefs(doc: Json): string[] {
  const missing: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== "object") return;
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === "$ref" && typeof v === "string") {
        const target = v
          .replace(/^#\//, "")
          .split("/")
          .reduce<unknown>((at, part) => (at as Json | undefined)?.[part], doc);
        if (target === undefined) missing.push(v);
      } else walk(v);
    }
  };
  walk(doc);
  return missing;
}

describe("OpenAPI document", () => {
  it("is an OpenAPI 3.1 document generated from the operations", () => {
    const doc = buildOpenApiDocument([createThing, priceThing, listThings]) as unknown as Json & {
      paths: Record<string, Record<string, Json & { responses: Record<string, Json>; parameters?: Json[]; requestBody?: Json }>>;
      components: { schemas: Json; securitySchemes: Json; responses: Json };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: "Tally API" });
    expect(doc.servers).toEqual([{ url: "/api/v1" }]);
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.schemas.Problem).toMatchObject({
      type: "object",
      required: expect.arrayContaining(["type", "title", "status", "code", "detail", "request_id"]),
    });
    expect(unresolvedRefs(doc)).toEqual([]);

    const create = doc.paths["/things"]?.post;
    expect(create).toMatchObject({ operationId: "createThing", tags: ["Things"] });
    expect(Object.keys(create?.responses ?? {}).sort()).toEqual(["201", "400", "401", "404", "409", "413", "422", "429"]);
    const body = (create?.requestBody as { content: { "application/json": { schema: Json & { properties: Record<string, Json> } } } })
      .content["application/json"].schema;
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.amount).toMatchObject({ type: "integer", minimum: 0 });
    expect(body.properties.currency).toMatchObject({ type: "string", enum: expect.arrayContaining(["usd", "jpy", "kwd"]) });
    expect(body.properties.name).toMatchObject({ type: "string", maxLength: 500 });
    expect(create?.parameters).toEqual([expect.objectContaining({ in: "header", name: "Idempotency-Key", schema: expect.objectContaining({ maxLength: 255 }) })]);
    expect(create?.parameters?.[0]).not.toHaveProperty("required");

    const list = doc.paths["/things"]?.get;
    expect(list?.parameters?.map((p) => `${String(p.in)}:${String(p.name)}`)).toEqual(["query:limit", "query:starting_after", "query:ending_before"]);
    expect(doc.paths["/things/{id}/price"]?.post?.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: "path", name: "id", required: true })]),
    );
    // A problem response points at the shared Problem schema.
    expect(JSON.stringify(doc.components.responses)).toContain("#/components/schemas/Problem");
    expect(JSON.stringify(doc)).toContain('"application/problem+json"');
  });

  it("refuses duplicate operation ids", () => {
    expect(() => buildOpenApiDocument([createThing, createThing])).toThrow(/duplicate operationId/);
  });

  it("is served at /api/v1/openapi.json without authentication", async () => {
    const res = openapiRoute();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ openapi: "3.1.0", components: { schemas: { Problem: expect.any(Object) } } });
  });
});

describe("health", () => {
  it("liveness answers without the database", async () => {
    const res = liveness();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("readiness runs select 1 and reports the driver", async () => {
    // The server opens (and migrates) its database at boot, before readiness is ever asked.
    await getDb();
    const res = await readinessRoute();
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; driver: string; migrations: { expected: number; applied: number } };
    expect(body.status).toBe("ok");
    expect(body.driver).toBe(process.env.DATABASE_URL ? "pg" : "pglite");
    expect(body.migrations.applied).toBe(body.migrations.expected);
    expect(body.migrations.expected).toBeGreaterThan(40);
  });

  it("readiness is 503 while the database's schema is behind this build", async () => {
    const behind = await readiness(undefined, undefined, () => Promise.resolve({ expected: 44, applied: 43, current: false }));
    expect(behind.status).toBe(503);
    expect(await behind.json()).toMatchObject({ code: "unavailable" });
    expect(messages(takeLogged("error")).join(" ")).toContain("43 migrations applied, this build has 44");
  });

  it("readiness is 503 unavailable when the database is down or too slow", async () => {
    const down = await readiness(() => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432")));
    expect(down.status).toBe(503);
    expect(down.headers.get("content-type")).toBe("application/problem+json");
    const body = await down.text();
    expect(JSON.parse(body)).toMatchObject({ code: "unavailable", status: 503 });
    expect(body).not.toContain("ECONNREFUSED");

    const slow = await readiness(() => new Promise(() => undefined), 20);
    expect(slow.status).toBe(503);
    expect(takeLogged("error")).toHaveLength(2);
  });
});
