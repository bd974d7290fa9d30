export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First, before anything slow: from here on every request carries its client address.
  const { installClientAddressStamp } = await import("./lib/http/stamp-client-address");
  installClientAddressStamp();
  // Traces only with OTEL_EXPORTER_OTLP_ENDPOINT set; otherwise the SDK is not even loaded.
  const { startTracing } = await import("./lib/observability/tracing");
  await startTracing();
  const { bootServer } = await import("./lib/boot/boot-server");
  await bootServer();
}
