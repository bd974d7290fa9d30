import { describe, expect, it, vi } from "vitest";
import { startTracing, tracingEnabled } from "./tracing";

describe("OpenTelemetry traces (decision 040)", () => {
  it("are off without OTEL_EXPORTER_OTLP_ENDPOINT: the SDK is never loaded, so nothing is sent or paid for", async () => {
    const load = vi.fn(() => Promise.resolve());
    expect(await startTracing({}, load)).toBe(false);
    expect(await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: "  " }, load)).toBe(false);
    expect(await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_SDK_DISABLED: "true" }, load)).toBe(false);
    expect(load).not.toHaveBeenCalled();
  });

  it("start with an endpoint (or a traces endpoint), named tally unless OTEL_SERVICE_NAME says otherwise", async () => {
    const load = vi.fn((_service: string) => Promise.resolve());
    expect(await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }, load)).toBe(true);
    expect(load).toHaveBeenLastCalledWith("tally");
    expect(await startTracing({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://collector:4318/v1/traces", OTEL_SERVICE_NAME: "tally-worker" }, load)).toBe(true);
    expect(load).toHaveBeenLastCalledWith("tally-worker");
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" })).toBe(true);
  });

  it("this test process has no endpoint and no tracer: @opentelemetry/api hands out no-op spans", async () => {
    expect(process.env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    const { trace } = await import("@opentelemetry/api");
    const span = trace.getTracer("tally").startSpan("nothing");
    expect(span.isRecording()).toBe(false);
    span.end();
  });
});
