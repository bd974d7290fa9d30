/**
 * What the HTTP benchmarks share (bench/webhooks, bench/entitlements): an open-loop load at a
 * fixed rate, percentiles, per-window tails, server CPU time from /proc, the load average, and
 * starting and stopping the servers measured.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import { performance } from "node:perf_hooks";

export interface Sample {
  ms: number;
  /** When it was sent, in ms from the start of the run. */
  at: number;
  status: number;
  /** Which item of the plan it was. */
  index: number;
}

/** Open loop at `rate` per second: requests leave on schedule whether or not earlier ones have answered; latency from send to full response. */
export async function openLoop<T>(send: (item: T) => Promise<number>, items: readonly T[], rate: number): Promise<{ samples: Sample[]; maxLagMs: number; seconds: number }> {
  const samples: Sample[] = [];
  const inflight: Promise<void>[] = [];
  const interval = 1000 / rate;
  const start = performance.now();
  let maxLagMs = 0;
  for (let i = 0; i < items.length; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0.5) await new Promise((r) => setTimeout(r, wait));
    maxLagMs = Math.max(maxLagMs, performance.now() - due);
    const t0 = performance.now();
    inflight.push(send(items[i]!).then((status) => void samples.push({ ms: performance.now() - t0, at: t0 - start, status, index: i })));
  }
  await Promise.all(inflight);
  return { samples, maxLagMs, seconds: (performance.now() - start) / 1000 };
}

/** The machine's busy and idle CPU seconds so far (all cores), from /proc/stat. */
export function machineCpu(): { busy: number; idle: number } {
  const [, user, nice, system, idle, iowait, irq, softirq] = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.split(/\s+/).map(Number);
  return { busy: (user! + nice! + system! + irq! + softirq!) / CLOCK_TICKS, idle: (idle! + iowait!) / CLOCK_TICKS };
}

/** CPU time (user + system) a process has used, in ms, from /proc (Linux); null elsewhere. */
export function cpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = 100;

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function pct(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** p99 of each 5-second window of a run: a tail spread over the run, or one stall, or the first seconds. */
export function p99ByWindow(samples: readonly Pick<Sample, "ms" | "at">[]): string {
  const windows: number[][] = [];
  for (const s of samples) (windows[Math.floor(s.at / 5000)] ??= []).push(s.ms);
  return windows.map((w) => pct(w.sort((a, b) => a - b), 0.99).toFixed(1)).join(" / ");
}

export const load1 = () => os.loadavg()[0]!.toFixed(2);

export interface Row {
  name: string;
  sent: number;
  ok: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(name: string, samples: readonly Pick<Sample, "ms" | "status">[]): Row {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  return { name, sent: samples.length, ok: samples.filter((s) => s.status >= 200 && s.status < 300).length, p50: pct(ms, 0.5), p95: pct(ms, 0.95), p99: pct(ms, 0.99), max: ms[ms.length - 1] ?? Number.NaN };
}

export function table(rows: readonly Row[]): string {
  const f = (n: number) => n.toFixed(2);
  const lines = ["| target | requests | 2xx | p50 ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|---:|"];
  for (const r of rows) lines.push(`| ${r.name} | ${r.sent} | ${r.ok} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${f(r.max)} |`);
  return lines.join("\n");
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Until `url` answers below 500 (or the server exits, or the time is up). */
export async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get(url, (res) => {
        res.resume();
        resolve((res.statusCode ?? 500) < 500);
      });
      req.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up in ${timeoutMs} ms`);
}

export function spawnServer(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, log: string): ChildProcess {
  const out = fs.openSync(log, "w");
  return spawn(command, args, { cwd, env, stdio: ["ignore", out, out] });
}

export async function stop(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}
