import { expect } from "vitest";
import type { RouteHandler } from "@/lib/api/handler";
import { randomToken } from "@/lib/ids";
import { POST as postPlan } from "@/app/api/v1/plans/route";
import { POST as postProduct } from "@/app/api/v1/products/route";
import { call, problemOf, type Problem } from "../api/support";

export type Json = Record<string, unknown> & { id: string };

/** A route called with a key: the JSON of a 2xx answer, or a failed expectation showing the problem. */
export async function ok<T = Json>(route: RouteHandler, key: string, opts: { method?: string; path: string; body?: unknown; params?: Record<string, string> }): Promise<T> {
  const res = await call(route, { key, ...opts });
  if (res.status !== 200) expect.fail(`${opts.method ?? "POST"} ${opts.path} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** The problem a route answers with, after checking its status. */
export async function refused(route: RouteHandler, key: string, status: number, opts: { method?: string; path: string; body?: unknown; params?: Record<string, string> }): Promise<Problem> {
  const res = await call(route, { key, ...opts });
  if (res.status !== status) expect.fail(`expected ${status}, got ${res.status}: ${await res.text()}`);
  return problemOf(res);
}

/** A unique plan code, so a file can create as many plans as it likes. */
export const uniqueCode = (prefix = "plan") => `${prefix}-${randomToken(8).toLowerCase()}`;

export async function makeProduct(key: string, name = "Cloud"): Promise<Json> {
  return ok(postProduct, key, { path: "/products", body: { name } });
}

export async function makePlan(key: string, body: Record<string, unknown> = {}): Promise<Json & { prices: Json[] }> {
  const product = body.product ?? (await makeProduct(key)).id;
  return ok(postPlan, key, { path: "/plans", body: { product, code: uniqueCode(), name: "Pro", interval: "month", ...body } });
}
