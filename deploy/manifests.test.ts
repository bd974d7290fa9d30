import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Job } from "kubernetes-models/batch/v1/Job";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";

// The Kubernetes manifests validate against the Kubernetes API's own OpenAPI schemas (the
// kubernetes-models package), and say what the deployment depends on: probes on Tally's health
// endpoints, resources, a non-root user, one job runner.
const dir = path.join(__dirname, "kubernetes");
const models: Record<string, new (data: never) => { validate(): void }> = {
  "apps/v1/Deployment": Deployment,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "batch/v1/Job": Job,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
};

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec?: Record<string, unknown> } & Record<string, unknown>;

function load(file: string): Manifest[] {
  return parseAllDocuments(fs.readFileSync(path.join(dir, file), "utf8")).map((d) => {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors.map((e) => e.message).join("; ")}`);
    return d.toJS() as Manifest;
  });
}

const files = fs.readdirSync(dir).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml");
const all = files.flatMap((f) => load(f).map((m) => ({ file: f, m })));
const byName = (kind: string, name: string) => all.find(({ m }) => m.kind === kind && m.metadata.name === name)?.m;
/** A value inside a parsed manifest by its path (undefined where the path ends early). */
const at = (node: unknown, ...path: (string | number)[]): unknown => path.reduce<unknown>((v, k) => (v === null || typeof v !== "object" ? undefined : (v as Record<string | number, unknown>)[k]), node);

describe("Kubernetes manifests", () => {
  it.each(files)("%s validates against the Kubernetes schema", (file) => {
    for (const m of load(file)) {
      const Model = models[`${m.apiVersion}/${m.kind}`];
      expect(Model, `${file}: no schema for ${m.apiVersion} ${m.kind}`).toBeDefined();
      expect(() => new Model!(m as never).validate()).not.toThrow();
    }
  });

  it("catches an invalid manifest (the check can fail)", () => {
    const broken = structuredClone(byName("Deployment", "tally-web")!) as unknown as { spec: { replicas: unknown } };
    broken.spec.replicas = "two";
    expect(() => new Deployment(broken as never).validate()).toThrow();
  });

  it("lists every manifest but the secret template in kustomization.yaml, and nothing missing", () => {
    const [k] = load("kustomization.yaml") as unknown as [{ resources: string[] }];
    expect([...k.resources].sort()).toEqual(files.filter((f) => f !== "secret.example.yaml").sort());
  });

  it("probes the health endpoints, sets resources, runs as non-root, and keeps one job runner", () => {
    for (const name of ["tally-web", "tally-worker"]) {
      const pod = at(byName("Deployment", name), "spec", "template", "spec");
      const c = at(pod, "containers", 0);
      expect(at(pod, "securityContext", "runAsNonRoot")).toBe(true);
      expect(at(c, "startupProbe", "httpGet", "path")).toBe("/api/health/ready");
      expect(at(c, "livenessProbe", "httpGet", "path")).toBe("/api/health");
      expect(at(c, "resources", "requests")).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(at(c, "resources", "limits", "memory")).toEqual(expect.any(String));
      const sources = (at(c, "envFrom") as Record<string, { name: string }>[]).map((e) => (e.secretRef ?? e.configMapRef)?.name);
      expect(sources.sort()).toEqual(["tally-config", "tally-secrets"]);
      const env = at(c, "env") as { name: string; value: string }[];
      expect(env.find((e) => e.name === "TALLY_JOBS")?.value).toBe(name === "tally-worker" ? "on" : "off");
    }
    const web = byName("Deployment", "tally-web");
    expect(at(web, "spec", "template", "spec", "containers", 0, "readinessProbe", "httpGet", "path")).toBe("/api/health/ready");
    const worker = byName("Deployment", "tally-worker");
    expect(at(worker, "spec", "replicas")).toBe(1);
    expect(at(worker, "spec", "strategy", "type")).toBe("Recreate");
    expect(at(byName("HorizontalPodAutoscaler", "tally-web"), "spec", "scaleTargetRef", "name")).toBe("tally-web");
    expect(at(byName("PodDisruptionBudget", "tally-web"), "spec", "selector", "matchLabels")).toEqual(at(web, "spec", "selector", "matchLabels"));
    expect(at(byName("Job", "tally-migrate"), "spec", "template", "spec", "containers", 0, "command")).toEqual(["node", "tally-cli.mjs", "migrate"]);
  });

  it("the Secret template names every secret the README's production section asks for", () => {
    expect(Object.keys(at(byName("Secret", "tally-secrets"), "stringData") as object)).toEqual(expect.arrayContaining(["DATABASE_URL", "NEXTAUTH_SECRET", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "RESEND_API_KEY", "METRICS_TOKEN"]));
  });

  it("both pods are scraped at /metrics on the container's port, which needs METRICS_TOKEN in production (decision 040)", () => {
    for (const name of ["tally-web", "tally-worker"]) {
      const template = at(byName("Deployment", name), "spec", "template");
      const annotations = at(template, "metadata", "annotations") as Record<string, string>;
      expect(annotations).toMatchObject({ "prometheus.io/scrape": "true", "prometheus.io/path": "/metrics" });
      const ports = at(template, "spec", "containers", 0, "ports") as { containerPort: number }[];
      expect(ports.map((p) => String(p.containerPort))).toContain(annotations["prometheus.io/port"]);
    }
    const config = at(byName("ConfigMap", "tally-config"), "data") as Record<string, string>;
    // Traces stay off until an endpoint is filled in.
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBe("");
  });
});
