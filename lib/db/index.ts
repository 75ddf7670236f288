// The database: one Kysely query builder over embedded SQLite (the default) or PostgreSQL
// (when DATABASE_URL says so). One instance per process, shared by the Engage API, the
// console and the workers, so the SQLite file has a single writer connection.
import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect } from "kysely";
import pg from "pg";
import type { Dialect } from "./dialect-name";
import { migrationProvider } from "./migrations";
import { preparedSql } from "./prepared";
import type { Database } from "./schema";
import { CachedSqliteDialect } from "./sqlite-dialect";

export { wireLoad } from "./sqlite-dialect";

export type { Dialect } from "./dialect-name";
export type DB = Kysely<Database>;

export interface DatabaseHandle {
  db: DB;
  dialect: Dialect;
  /** Where the data lives, for messages (never includes a password). */
  location: string;
  close(): Promise<void>;
}

export const DEFAULT_DATABASE_URL = "file:./data/engage.sqlite";

// PostgreSQL's bigint (int8) arrives as a string by default; our ids, money (ten-thousandths)
// and epoch milliseconds are all far below 2^53, so numbers are exact.
pg.types.setTypeParser(20, (value: string) => Number(value));

const statementNames = new Map<string, string>();

/** A named statement's name: the same text, the same name, on every connection. */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `engage_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

export function parseDatabaseUrl(url: string): { dialect: Dialect; target: string } {
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    return { dialect: "postgres", target: url };
  }
  if (url.startsWith("file:")) {
    const file = url.slice("file:".length);
    if (file.length === 0) throw new Error(`DATABASE_URL "${url}" names no file`);
    return { dialect: "sqlite", target: file };
  }
  throw new Error(
    `DATABASE_URL must be file:/path/to/engage.sqlite or postgres://user@host:port/db, not "${url.slice(0, 40)}"`,
  );
}

export function openDatabase(url: string = process.env.DATABASE_URL || DEFAULT_DATABASE_URL): DatabaseHandle {
  const { dialect, target } = parseDatabaseUrl(url);
  if (dialect === "sqlite") {
    // Where the file is comes from DATABASE_URL at run time: nothing for the build to trace
    // (without the comment, Turbopack would include the whole project in the server output).
    const file = path.resolve(/*turbopackIgnore: true*/ target);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const sqlite = new BetterSqlite3(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = FULL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 10000");
    // Reads outside transactions: a second connection that only reads (sqlite-dialect.ts).
    const reader = new BetterSqlite3(file);
    reader.pragma("busy_timeout = 10000");
    reader.pragma("query_only = 1");
    const db = new Kysely<Database>({ dialect: new CachedSqliteDialect(sqlite, reader) });
    return { db, dialect, location: file, close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: target, max: Number(process.env.DATABASE_POOL_SIZE || 10) });
  // An idle connection the server closed (a restart, a failover) must not crash the process:
  // the pool drops it and the next query opens a new one.
  pool.on("error", (error) => console.error(`[db] idle PostgreSQL connection closed: ${error.message}`));
  // The hot path's queries (lib/db/prepared.ts: a bounded set of SQL texts) as named statements:
  // PostgreSQL parses and plans each once per connection instead of at every execution.
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (text: unknown, values?: unknown, ...rest: unknown[]) =>
      typeof text === "string" && Array.isArray(values) && rest.length === 0 && preparedSql.has(text)
        ? query({ name: statementName(text), text, values })
        : query(text, values, ...rest);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const safe = new URL(target);
  safe.password = "";
  return { db, dialect, location: safe.toString(), close: () => db.destroy() };
}

export async function migrate(handle: DatabaseHandle): Promise<string[]> {
  const migrator = new Migrator({ db: handle.db, provider: migrationProvider(handle.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  // Sign-in's tables are better-auth's own; it brings them forward itself.
  const { migrateAuthTables } = await import("../console/auth");
  await migrateAuthTables(handle);
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

const globalForDb = globalThis as typeof globalThis & {
  __engageDatabase?: Promise<DatabaseHandle>;
};

/**
 * The process's database, opened and migrated on first use. Kept on globalThis so the
 * custom server and Next's bundled route handlers share one connection.
 */
export function getDatabase(): Promise<DatabaseHandle> {
  globalForDb.__engageDatabase ??= (async () => {
    const handle = openDatabase();
    await migrate(handle);
    return handle;
  })();
  return globalForDb.__engageDatabase;
}

/** Errors from either driver that mean a UNIQUE constraint refused the row. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505";
}

/** The constraint (PostgreSQL) or columns (SQLite) named by a unique violation. */
export function uniqueViolationTarget(error: unknown): string {
  const e = error as { constraint?: string; message?: string };
  return e.constraint ?? e.message ?? "";
}
