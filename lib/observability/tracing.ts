/**
 * OpenTelemetry traces, off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set (decision 040). Off, nothing
 * is imported and nothing is sent: the SDK is loaded only when an endpoint is configured. On, a
 * tracer provider is registered globally, so Next's own spans (each request, each route handler,
 * each render) and any span Tally starts with @opentelemetry/api go to the OTLP/HTTP endpoint
 * (`<endpoint>/v1/traces`, the exporter's reading of the standard OTEL_* variables), batched.
 */
export type TracingEnv = Record<string, string | undefined>;

export function tracingEnabled(env: TracingEnv): boolean {
  if (env.OTEL_SDK_DISABLED === "true") return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

type Start = (serviceName: string) => Promise<void>;

async function startSdk(serviceName: string): Promise<void> {
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import("@opentelemetry/sdk-trace-node"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
}

/** Start tracing when configured; returns whether it started. `start` is the SDK's loader (tests replace it). */
export async function startTracing(env: TracingEnv = process.env, start: Start = startSdk): Promise<boolean> {
  if (!tracingEnabled(env)) return false;
  await start(env.OTEL_SERVICE_NAME?.trim() || "tally");
  return true;
}
