import { and, desc, eq, lt } from "drizzle-orm";
import { onTestFinished } from "vitest";
import { z } from "zod";
import { getDb } from "@/db/client";
import { auditLog } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { amountField, currencyField, emailField, idField, metadataField, nameField, quantityField, timezoneField } from "@/lib/api/fields";
import { apiRoute, type RouteHandler } from "@/lib/api/handler";
import { createApiKey } from "@/lib/api/keys";
import { defineOperation } from "@/lib/api/operation";
import { listOf, listQuery, toList } from "@/lib/api/pagination";

/**
 * Test operations with real handlers: creating a "thing" appends an audit entry, so a test can count
 * how many times the handler's effect happened.
 */
const thing = z.object({
  id: z.string(),
  object: z.literal("thing"),
  name: z.string(),
  amount: z.number().int(),
  currency: z.string().optional(),
});

export const createThing = defineOperation({
  method: "POST",
  path: "/things",
  operationId: "createThing",
  summary: "Create a thing",
  tags: ["Things"],
  body: z.object({
    name: nameField,
    amount: amountField,
    currency: currencyField.optional(),
    quantity: quantityField.optional(),
    email: emailField.optional(),
    timezone: timezoneField.optional(),
    metadata: metadataField.optional(),
    /** Test hooks: how the handler should behave. */
    fail: z.enum(["conflict", "crash"]).optional(),
  }),
  response: thing,
  successStatus: 201,
});

/** A plain `z.number().int()` money field, without the helper. */
export const priceThing = defineOperation({
  method: "POST",
  path: "/things/{id}/price",
  operationId: "priceThing",
  summary: "Price a thing",
  tags: ["Things"],
  params: z.object({ id: idField("cus") }),
  body: z.object({ unit_amount: z.number().int() }),
  response: z.object({ id: z.string(), unit_amount: z.number().int() }),
});

export const listThings = defineOperation({
  method: "GET",
  path: "/things",
  operationId: "listThings",
  summary: "List things",
  tags: ["Things"],
  query: listQuery,
  response: listOf(thing),
});

/** Counts handler runs that crashed, so a test can make the first attempt fail and the retry succeed. */
export const crashes = { remaining: 0 };

export const postThing: RouteHandler = apiRoute(createThing, async ({ body, db, actor, now, requestId }) => {
  if (body.fail === "conflict") throw new AppError("conflict", { userMessage: "That thing already exists." });
  if (body.fail === "crash" && crashes.remaining > 0) {
    crashes.remaining -= 1;
    throw new Error("connection to the gateway reset (internal detail that must not leak)");
  }
  const id = newId("customer");
  await db.transaction(async (tx) => {
    // A made-up resource, so its entry is written as a row (recordAudit takes only catalog actions).
    await tx.insert(auditLog).values({ at: now, actorType: actor.type, actorId: actor.id, action: "thing.created", entityType: "thing", entityId: id, after: body, requestId });
    // Some work, so that concurrent requests with the same key find this one in flight.
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
  return { id, object: "thing" as const, name: body.name, amount: body.amount, currency: body.currency, internal_secret: "x" };
});

export const postPrice: RouteHandler = apiRoute(priceThing, ({ params, body }) => ({ id: params.id, unit_amount: body.unit_amount }));

export const getThings: RouteHandler = apiRoute(listThings, async ({ db, query, req }) => {
  const cursor = query.starting_after
    ? (await db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.entityId, query.starting_after)).limit(1))[0]?.id
    : undefined;
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "thing.created"), cursor === undefined ? undefined : lt(auditLog.id, cursor)))
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const data = rows.map((r) => {
    const after = r.after as { name: string; amount: number };
    return { id: r.entityId, object: "thing" as const, name: after.name, amount: after.amount };
  });
  return toList(data, query.limit, new URL(req.url).pathname);
});

export async function countThings(): Promise<number> {
  const db = await getDb();
  return (await db.select().from(auditLog).where(eq(auditLog.action, "thing.created"))).length;
}

/**
 * A key for the test. Live keys exist only while Stripe is the gateway (lib/payments/mode.ts), so a
 * live key comes with a Stripe configuration until the test ends: its secret key points at a port
 * nothing listens on, and the tests that use one only check that each mode sees its own objects.
 */
export async function newKey(livemode = false): Promise<{ id: string; key: string }> {
  if (livemode) stripeIsGatewayUntilTestEnds();
  const db = await getDb();
  return createApiKey(db, { name: "test key", livemode, createdBy: "test" });
}

export interface CallOptions {
  method?: string;
  path?: string;
  key?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
}

export function call(route: RouteHandler, opts: CallOptions = {}): Promise<Response> {
  const headers = new Headers(opts.headers);
  if (opts.key) headers.set("authorization", `Bearer ${opts.key}`);
  const hasBody = opts.rawBody !== undefined || opts.body !== undefined;
  if (hasBody) headers.set("content-type", "application/json");
  const req = new Request(`http://localhost/api/v1${opts.path ?? "/things"}`, {
    method: opts.method ?? "POST",
    headers,
    body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  return route(req, { params: Promise.resolve(opts.params ?? {}) });
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  param?: string;
  detail: string;
  request_id: string;
}

/** The response as a problem, after checking it is one. */
export async function problemOf(res: Response): Promise<Problem> {
  if (!res.headers.get("content-type")?.startsWith("application/problem+json")) {
    throw new Error(`expected problem+json, got ${res.status} ${res.headers.get("content-type")}: ${await res.text()}`);
  }
  const body = (await res.json()) as Problem;
  if (body.request_id !== res.headers.get("request-id")) throw new Error("request_id does not match the Request-Id header");
  return body;
}

function stripeIsGatewayUntilTestEnds(): void {
  const saved = { key: process.env.STRIPE_SECRET_KEY, base: process.env.STRIPE_API_BASE };
  process.env.STRIPE_SECRET_KEY = "sk_test_unreachable";
  process.env.STRIPE_API_BASE = "http://127.0.0.1:9";
  onTestFinished(() => {
    for (const [name, value] of [["STRIPE_SECRET_KEY", saved.key], ["STRIPE_API_BASE", saved.base]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}
