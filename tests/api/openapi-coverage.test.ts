import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allOperations } from "@/lib/api/operations";
import { buildOpenApiDocument } from "@/lib/api/openapi";

const ROOT = path.join(process.cwd(), "app/api/v1");
const METHODS = ["GET", "POST", "PATCH", "DELETE", "PUT"] as const;

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

describe("the OpenAPI document and the routes agree", () => {
  it("every /api/v1 route method is a documented operation, and every operation is served", async () => {
    const served: string[] = [];
    for (const file of routeFiles(ROOT)) {
      const rel = path.relative(ROOT, path.dirname(file)).split(path.sep).join("/");
      if (rel === "openapi.json") continue;
      const apiPath = `/${rel.replace(/\[(\w+)\]/g, "{$1}")}`;
      const mod = (await import(file)) as Record<string, unknown>;
      for (const method of METHODS) if (typeof mod[method] === "function") served.push(`${method} ${apiPath}`);
    }
    const documented = allOperations.map((op) => `${op.method} ${op.path}`);
    expect(served.sort()).toEqual([...documented].sort());
    expect(served.length).toBeGreaterThanOrEqual(12);
  });

  it("builds a 3.1 document with every resource schema", () => {
    const doc = buildOpenApiDocument(allOperations) as { openapi: string; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe("3.1.0");
    for (const name of ["Customer", "PaymentMethod", "Plan", "Price", "Subscription", "Invoice", "InvoiceLine", "Problem"]) {
      expect(doc.components.schemas).toHaveProperty(name);
    }
  });
});
