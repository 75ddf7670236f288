// The real Engage API in its own process (lib/engage/http/standalone.ts, as `npm run start:api`
// runs it), for tests that kill it, restart it, or run a CLI beside it: crash safety, backups
// under load, writers from two processes. Also a POS-like receipt load that retries a failed
// request with its Idempotency-Key until it gets an answer.
import "server-only";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migrate, openDatabase } from "../../db";
import { createGroup, createLocation } from "../tenancy";

export const NODE_ARGS = ["--import", "tsx", "--import", "./lib/node/server-only-hook.mjs"];

/** A fresh database for a test that runs its own processes: a SQLite file, or a new PostgreSQL database. */
export async function freshDatabaseUrl(): Promise<{ url: string; dir: string; drop(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engage-proc-"));
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    return { url: `file:${path.join(dir, "engage.sqlite")}`, dir, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `engage_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dir,
    async drop() {
      fs.rmSync(dir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Migrates the database and makes one group with `locations` locations and their keys. */
export async function prepareTenant(
  url: string,
  locations = 1,
): Promise<{ groupId: number; groupKey: string; locations: { locationId: number; key: string }[] }> {
  const handle = openDatabase(url);
  try {
    await migrate(handle);
    const group = await createGroup(handle.db, { name: "Process test group" });
    const out = { groupId: group.GroupID, groupKey: group.Key, locations: [] as { locationId: number; key: string }[] };
    for (let i = 0; i < locations; i++) {
      const l = await createLocation(handle.db, { groupId: group.GroupID, name: `Store ${i + 1}` });
      out.locations.push({ locationId: l.LocationID, key: l.Key });
    }
    return out;
  } finally {
    await handle.close();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Everything it printed, for failure messages. */
  output(): string;
  /** kill -9: no shutdown code runs. */
  crash(): Promise<void>;
  /** SIGTERM: the graceful stop. */
  stop(): Promise<void>;
}

/** Starts the standalone Engage API on the database and port; resolves once it listens. */
export function startServerProcess(
  databaseUrl: string,
  port: number,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...NODE_ARGS, "lib/engage/http/standalone.ts", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: databaseUrl, ENGAGE_RATE_LIMIT: "off", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the server did not start within 60 s:\n${out}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.length > 200_000) out = out.slice(-100_000);
      if (/listening on/.test(out)) {
        clearTimeout(timer);
        resolve({
          baseUrl: `http://127.0.0.1:${port}`,
          child,
          output: () => out,
          crash: () => stopWith("SIGKILL"),
          stop: () => stopWith("SIGTERM"),
        });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before listening:\n${out}`));
    });
  });
}

export interface Answer {
  status: number;
  json: unknown;
  /** Attempts it took (connection failures while the server was down are retried). */
  attempts: number;
}

/**
 * Sends a request as a POS does: on a connection failure or timeout it waits and sends the very
 * same request again (same Idempotency-Key), until an answer comes or `deadline` passes.
 */
export async function sendUntilAnswered(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  deadline = Date.now() + 120_000,
): Promise<Answer> {
  for (let attempts = 1; ; attempts++) {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
      const text = await res.text();
      let json: unknown = undefined;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = text;
      }
      return { status: res.status, json, attempts };
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`no answer from ${url} after ${attempts} attempts: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
    }
  }
}
