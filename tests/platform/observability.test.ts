import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { invoices } from "@/db/schema";
import { POST as postCustomer } from "@/app/api/v1/customers/route";
import { GET as getCustomer } from "@/app/api/v1/customers/[id]/route";
import { GET as getMetrics } from "@/app/metrics/route";
import { dispatchOutbox } from "@/lib/events/outbox";
import { runJob } from "@/lib/jobs/local-runner";
import { withLogContext } from "@/lib/observability/context";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { call, newKey } from "../api/support";
import { auCustomer, paidTenDollarInvoice } from "../invoices/support";
import { logged, takeLogged } from "../setup/logs";
import { makeApiCustomer, makeMeter, sendBatch } from "../usage/support";
import { parseExposition, seriesKey, type Samples } from "./exposition";

/**
 * Decision 040: API calls, the outbox and the job runner move /metrics by exactly what they did,
 * and a request's id is on its log line and on the lines of the outbox work it caused.
 */
let key: { id: string; key: string };

beforeAll(async () => {
  key = await newKey();
});

async function scrape(): Promise<{ samples: Samples; types: Map<string, string> }> {
  const res = await getMetrics(new Request("http://localhost/metrics"));
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
  return parseExposition(await res.text());
}

const value = (samples: Samples, name: string, labels: Record<string, string> = {}) => samples.get(seriesKey(name, labels)) ?? 0;

async function dispatchAll(): Promise<void> {
  const db = await getDb();
  await withLogContext({ job: "outbox.dispatch" }, async () => {
    while ((await dispatchOutbox(db, outboxHandler(db))) > 0);
  });
}

describe("/metrics", () => {
  it("counts requests by route template and status class, ingest outcomes, invoices, payments and job runs by exactly what happened", async () => {
    const before = await scrape();
    const db = await getDb();

    const created = await call(postCustomer, { key: key.key, path: "/customers", body: { email: "metrics@example.com", name: "Metrics", currency: "aud" } });
    expect(created.status).toBe(200);
    const customer = (await created.json()) as { id: string };
    for (let i = 0; i < 2; i++) {
      expect((await call(getCustomer, { key: key.key, method: "GET", path: `/customers/${customer.id}`, params: { id: customer.id } })).status).toBe(200);
    }
    expect((await call(getCustomer, { key: key.key, method: "GET", path: "/customers/cus_missing", params: { id: "cus_missing" } })).status).toBe(404);

    const meter = await makeMeter(key.key, { aggregation: "sum", value_property: "tokens" });
    const usageCustomer = await makeApiCustomer(key.key);
    const at = new Date().toISOString();
    const batch = await sendBatch(key.key, [
      { identifier: "obs-1", customer: usageCustomer.id, meter: meter.code, timestamp: at, properties: { tokens: 3 } },
      { identifier: "obs-2", customer: usageCustomer.id, meter: meter.code, timestamp: at, properties: { tokens: 4 } },
      { identifier: "obs-1", customer: usageCustomer.id, meter: meter.code, timestamp: at, properties: { tokens: 3 } },
      { identifier: "obs-3", customer: usageCustomer.id, meter: "no_such_meter", timestamp: at, properties: { tokens: 1 } },
    ]);
    expect(batch).toMatchObject({ accepted: 2, duplicates: 1 });
    expect(batch.rejected).toHaveLength(1);

    const invoice = await paidTenDollarInvoice(key.key, (await auCustomer()).id);
    const [row] = await db.select({ billingReason: invoices.billingReason }).from(invoices).where(eq(invoices.id, invoice.id));

    const pending = await scrape();
    expect(value(pending.samples, "tally_outbox_pending_events")).toBeGreaterThan(0);
    expect(value(pending.samples, "tally_outbox_oldest_pending_age_seconds")).toBeGreaterThanOrEqual(0);
    await dispatchAll();

    const failing = { name: "test.failing", everyMs: 60_000, run: () => Promise.reject(new Error("boom")) };
    const fine = { name: "test.fine", everyMs: 60_000, run: () => Promise.resolve({ done: 1 }) };
    await runJob(fine, new Date());
    await runJob(fine, new Date());
    await runJob(failing, new Date());
    expect(takeLogged("error").map((l) => l.msg)).toEqual(["job test.failing failed"]);

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) => value(after.samples, name, labels) - value(before.samples, name, labels);
    const http = "tally_http_request_duration_seconds_count";
    expect(delta(http, { method: "POST", route: "/api/v1/customers", status_class: "2xx" })).toBe(2); // this test's customer and the usage one
    expect(delta(http, { method: "GET", route: "/api/v1/customers/{id}", status_class: "2xx" })).toBe(2);
    expect(delta(http, { method: "GET", route: "/api/v1/customers/{id}", status_class: "4xx" })).toBe(1);
    expect(delta(http, { method: "POST", route: "/api/v1/usage_events/batch", status_class: "2xx" })).toBe(1);
    // Never the raw path.
    expect([...after.samples.keys()].some((k) => k.includes(customer.id) || k.includes("cus_missing"))).toBe(false);
    expect(after.types.get("tally_http_request_duration_seconds")).toBe("histogram");

    expect(delta("tally_usage_events_total", { outcome: "accepted" })).toBe(2);
    expect(delta("tally_usage_events_total", { outcome: "duplicate" })).toBe(1);
    expect(delta("tally_usage_events_total", { outcome: "rejected" })).toBe(1);

    expect(delta("tally_invoices_total", { billing_reason: row!.billingReason, status: "finalized" })).toBe(1);
    expect(delta("tally_invoices_total", { billing_reason: row!.billingReason, status: "paid" })).toBe(1);
    expect(delta("tally_payments_total", { outcome: "succeeded" })).toBe(1);
    expect(delta("tally_payments_total", { outcome: "failed" })).toBe(0);

    expect(delta("tally_job_runs_total", { job: "test.fine", outcome: "ok" })).toBe(2);
    expect(delta("tally_job_runs_total", { job: "test.failing", outcome: "error" })).toBe(1);
    expect(delta("tally_job_run_duration_seconds_count", { job: "test.fine" })).toBe(2);
    expect(value(after.samples, "tally_job_last_run_failed", { job: "test.failing" })).toBe(1);
    expect(value(after.samples, "tally_job_last_run_failed", { job: "test.fine" })).toBe(0);
    expect(value(after.samples, "tally_job_seconds_since_last_finish", { job: "test.fine" })).toBeGreaterThanOrEqual(0);

    expect(value(after.samples, "tally_outbox_pending_events")).toBe(0);
    expect(value(after.samples, "tally_outbox_oldest_pending_age_seconds")).toBe(0);
    expect(value(after.samples, "tally_webhook_deliveries_due")).toBe(0);
    expect(after.types.get("tally_mrr_minor_units")).toBe("gauge");
    expect(after.types.get("process_cpu_user_seconds_total")).toBe("counter");
  });

  it("is guarded by METRICS_TOKEN when it is set, and off in production without it", async () => {
    const { metricsResponse } = await import("@/lib/observability/metrics-endpoint");
    const req = (authorization?: string) => new Request("http://localhost/metrics", { headers: authorization ? { authorization } : {} });
    expect((await metricsResponse(req(), { token: undefined, production: true })).status).toBe(404);
    expect((await metricsResponse(req(), { token: "s3cret-token", production: true })).status).toBe(401);
    expect((await metricsResponse(req("Bearer wrong"), { token: "s3cret-token", production: true })).status).toBe(401);
    expect((await metricsResponse(req("Bearer s3cret-token"), { token: "s3cret-token", production: true })).status).toBe(200);
    expect((await metricsResponse(req(), { token: undefined, production: false })).status).toBe(200);
  });
});

describe("request ids in the logs", () => {
  it("a request's id (the caller's X-Request-Id) is on its response, its log line, and the log lines of the outbox work it caused", async () => {
    const requestId = "req-from-the-caller-0001";
    const res = await call(postCustomer, { key: key.key, path: "/customers", headers: { "x-request-id": requestId }, body: { email: "logs@example.com", name: "Logs", currency: "aud" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("request-id")).toBe(requestId);
    const { id } = (await res.json()) as { id: string };

    const line = logged("info").find((l) => l.msg === "request" && l.request_id === requestId);
    expect(line).toMatchObject({ method: "POST", route: "/api/v1/customers", status: 200, api_key_id: key.id, service: "tally" });
    expect(typeof line?.duration_ms).toBe("number");
    // Never the key, never the body.
    expect(JSON.stringify(logged())).not.toContain(key.key);
    expect(JSON.stringify(line)).not.toContain("logs@example.com");

    await dispatchAll();
    const handled = logged("debug").filter((l) => l.msg === "outbox event handled" && l.event_type === "customer.created");
    const ours = handled.find((l) => l.request_id === requestId);
    expect(ours).toMatchObject({ job: "outbox.dispatch", request_id: requestId });
    expect(typeof ours?.event_id).toBe("string");
    // Outside the request (a job's own work) no request id is carried over.
    expect(logged().filter((l) => l.job === "outbox.dispatch" && l.request_id === requestId).every((l) => l.event_type === "customer.created")).toBe(true);
    expect(id).toMatch(/^cus_/);
  });

  it("an insane X-Request-Id is replaced by one of ours, and a problem body carries the id", async () => {
    const res = await call(getCustomer, { key: key.key, method: "GET", path: "/customers/cus_nope", params: { id: "cus_nope" }, headers: { "x-request-id": "bad id with spaces" } });
    expect(res.status).toBe(404);
    const id = res.headers.get("request-id");
    expect(id).toMatch(/^req_/);
    expect(((await res.json()) as { request_id: string }).request_id).toBe(id);
    expect(logged("info").find((l) => l.msg === "request" && l.request_id === id)).toMatchObject({ route: "/api/v1/customers/{id}", status: 404 });
  });
});
