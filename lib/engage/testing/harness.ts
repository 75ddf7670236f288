// Test harness for the Engage API: a real HTTP server on a real database — a fresh SQLite
// file, or a fresh PostgreSQL database when TEST_DATABASE_URL is set — with helpers to make
// tenants and call the API as a POS would.
import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migrate, openDatabase, type DatabaseHandle } from "../../db";
import { startEngageRuntime, type EngageRuntime, type RuntimeOptions } from "../runtime";
import type { OpenApiDocument } from "../openapi/document";
import { createGroup, createKey, createLocation } from "../tenancy";
import { createContract, type Contract } from "./contract";

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

export interface Tenant {
  groupId: number;
  groupKey: string;
  locations: { locationId: number; key: string }[];
}

/** A key (or signature) with its last character changed, never to itself: well-formed, but wrong. */
export function wrongKey(key: string): string {
  return `${key.slice(0, -1)}${key.endsWith("x") ? "y" : "x"}`;
}

export interface TestServer {
  baseUrl: string;
  /** The DATABASE_URL of this server's database, for other processes (the CLI). */
  databaseUrl: string;
  database: DatabaseHandle;
  runtime: EngageRuntime;
  /** A group with its group key and `locations` locations, each with a key. */
  createTenant(locations?: number): Promise<Tenant>;
  createKey(groupId: number, locationId?: number | null): Promise<{ KeyID: number; Key: string }>;
  /** Calls the API; a body that is not a string is sent as JSON with Content-Type application/json. */
  call<T = unknown>(
    method: string,
    path: string,
    /** `contract: false` skips the check against the OpenAPI document (for deliberately raw requests). */
    options?: { key?: string | null; body?: unknown; headers?: Record<string, string>; contract?: boolean },
  ): Promise<ApiResponse<T>>;
  /** Waits until the campaign send worker has decided every accepted send. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engage-test-"));
    return { url: `file:${path.join(dir, "engage.sqlite")}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
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
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

let tenantCounter = 0;

const contracts = new Map<string, Contract>();

/** The contract of the document this server serves (compiled once per distinct document). */
async function contractOf(baseUrl: string): Promise<Contract> {
  const response = await fetch(`${baseUrl}/v1/openapi.json`);
  if (response.status !== 200) throw new Error(`GET /v1/openapi.json answered ${response.status}`);
  const text = await response.text();
  let contract = contracts.get(text);
  if (!contract) {
    contract = createContract(JSON.parse(text) as OpenApiDocument);
    contracts.set(text, contract);
  }
  return contract;
}

/**
 * `options.rateLimit`: the keys' limit. Tests of other things run without one (null, the
 * default here): a test may well make more than a production minute's requests with one key.
 */
export async function startTestServer(options: RuntimeOptions = {}): Promise<TestServer> {
  const fresh = await freshDatabase();
  const database = openDatabase(fresh.url);
  await migrate(database);
  const runtime = await startEngageRuntime(database, { rateLimit: null, ...options });
  const server = http.createServer((req, res) => void runtime.nodeHandler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let served: Promise<Contract> | null = null;
  const contract = () => (served ??= contractOf(baseUrl));

  return {
    baseUrl,
    databaseUrl: fresh.url,
    database,
    runtime,
    async createTenant(locations = 2) {
      const group = await createGroup(database.db, { name: `Test group ${++tenantCounter}` });
      const tenant: Tenant = { groupId: group.GroupID, groupKey: group.Key, locations: [] };
      for (let i = 0; i < locations; i++) {
        const location = await createLocation(database.db, { groupId: group.GroupID, name: `Store ${i + 1}` });
        tenant.locations.push({ locationId: location.LocationID, key: location.Key });
      }
      return tenant;
    },
    createKey: (groupId, locationId = null) => createKey(database.db, { groupId, locationId }),
    async call(method, urlPath, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.key) headers.authorization = options.key;
      let body: string | undefined;
      if (options.body !== undefined) {
        if (typeof options.body === "string") body = options.body;
        else {
          body = JSON.stringify(options.body);
          headers["content-type"] ??= "application/json";
        }
      }
      const response = await fetch(baseUrl + urlPath, { method, headers, body });
      const text = await response.text();
      let json: unknown = undefined;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      // Every response the API tests see is held to the served OpenAPI document (contract.ts).
      if (options.contract !== false) {
        (await contract()).check({ method, path: urlPath, status: response.status, headers: response.headers, text });
      }
      return { status: response.status, headers: response.headers, text, json: json as never };
    },
    drain: () => runtime.deps.worker!.drain(),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await runtime.close();
      await database.close();
      await fresh.drop();
    },
  };
}
