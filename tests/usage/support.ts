import { expect } from "vitest";
import { POST as postCustomer } from "@/app/api/v1/customers/route";
import { POST as postMeter } from "@/app/api/v1/meters/route";
import { POST as postEvent } from "@/app/api/v1/usage_events/route";
import { POST as postBatch } from "@/app/api/v1/usage_events/batch/route";
import { randomToken } from "@/lib/ids";
import type { RouteHandler } from "@/lib/api/handler";
import { call, problemOf, type Problem } from "../api/support";

export type Json = Record<string, unknown> & { id: string };

/** A route's JSON answer after checking its status. */
export async function answer<T = Json>(route: RouteHandler, key: string, status: number, opts: { method?: string; path: string; body?: unknown; params?: Record<string, string> }): Promise<T> {
  const res = await call(route, { key, ...opts });
  if (res.status !== status) expect.fail(`${opts.method ?? "POST"} ${opts.path}: expected ${status}, got ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

export async function refusedWith(route: RouteHandler, key: string, status: number, opts: { path: string; body?: unknown; params?: Record<string, string> }): Promise<Problem> {
  const res = await call(route, { key, method: opts.body === undefined ? "GET" : "POST", ...opts });
  if (res.status !== status) expect.fail(`expected ${status}, got ${res.status}: ${await res.text()}`);
  return problemOf(res);
}

export const uniqueCode = (prefix: string) => `${prefix}_${randomToken(8).toLowerCase()}`;

export async function makeMeter(key: string, body: Record<string, unknown>): Promise<Json & { code: string; version: number; active: boolean }> {
  return answer(postMeter, key, 200, { path: "/meters", body: { code: uniqueCode("meter"), ...body } });
}

export async function makeApiCustomer(key: string, body: Record<string, unknown> = {}): Promise<Json> {
  return answer(postCustomer, key, 200, { path: "/customers", body: { email: `${randomToken(8).toLowerCase()}@example.test`, currency: "aud", ...body } });
}

export type UsageEvent = Json & { identifier: string; customer: string; meter: string; timestamp: string; late: boolean; properties: Record<string, unknown> };
export type BatchResult = { accepted: number; duplicates: number; rejected: { index: number; code: string; param?: string; detail: string }[] };

export const sendEvent = (key: string, body: Record<string, unknown>, status = 201) => answer<UsageEvent>(postEvent, key, status, { path: "/usage_events", body });
export const refuseEvent = (key: string, body: Record<string, unknown>, status = 422) => refusedWith(postEvent, key, status, { path: "/usage_events", body });
export const sendBatch = (key: string, events: unknown[]) => answer<BatchResult>(postBatch, key, 202, { path: "/usage_events/batch", body: { events } });
