// Shared pieces of the benchmarks: starting servers pinned to a core, and measuring them
// with autocannon from this process (pinned to the other core by the npm script).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import autocannon from "autocannon";

export function startPinned(core: number, args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn("taskset", ["-c", String(core), process.execPath, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (ready.test(out)) resolve(child);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
    child.on("exit", (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** How many answers had each status, e.g. "201×5000 500×3". */
  statuses: string;
}

export interface RequestShape {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** Each request's own body and path (a random customer, a random search). */
  body?: () => string;
  path?: () => string;
}

/** autocannon's request for a shape: each request made with its own body and path. */
export function requestOf(shape: RequestShape, onResponse?: () => void): autocannon.Request {
  return {
    method: shape.method ?? "GET",
    headers: shape.headers,
    setupRequest: (req) => ({
      ...req,
      ...(shape.body ? { body: shape.body() } : {}),
      ...(shape.path ? { path: shape.path() } : {}),
    }),
    ...(onResponse ? { onResponse } : {}),
  };
}

export async function load(options: RequestShape & { url: string; connections: number; seconds: number }): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [requestOf(options)],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statuses: Object.entries((result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})
      .map(([code, { count }]) => `${code}×${count}`)
      .join(" "),
  };
}

/** The process's peak resident set (VmHWM), in MB: read before stopping it. */
export function peakRssMb(child: ChildProcess): number {
  const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners("exit");
    child.on("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
