// Backups of the embedded SQLite database: `npm run admin -- backup --to FILE` while the app
// runs, `restore --from FILE` with the app stopped. Both use SQLite's online backup API, which
// copies pages under a read transaction (WAL: writers go on meanwhile) and, restoring, writes
// through SQLite itself, so a -wal file beside the target can never be replayed over the copy.
// PostgreSQL has its own tools (pg_dump / pg_restore, see the README).
import "server-only";
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { DatabaseHandle } from "../db";

export interface BackupSummary {
  File: string;
  Bytes: number;
  Pages: number;
  /** Rows in the copy, per table of the Engage data. */
  Counts: Record<string, number>;
}

const COUNTED = ["groups", "locations", "customers", "receipts", "offers", "campaigns"];

export class BackupError extends Error {}

function requireSqlite(handle: DatabaseHandle, verb: string): void {
  if (handle.dialect !== "sqlite") {
    throw new BackupError(
      `${verb} works on the embedded SQLite database; for PostgreSQL use pg_dump and pg_restore ` +
        `(e.g. pg_dump --format=custom --file=engage.dump "$DATABASE_URL"), as the README says.`,
    );
  }
}

/** Opens a copy read-only and checks it is a whole, sound Engage database. */
function inspect(file: string): { pages: number; counts: Record<string, number> } {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma("integrity_check") as { integrity_check: string }[];
    if (integrity.length !== 1 || integrity[0].integrity_check !== "ok") {
      throw new BackupError(`${file} failed PRAGMA integrity_check: ${integrity.map((r) => r.integrity_check).join("; ").slice(0, 500)}`);
    }
    const tables = new Set(
      (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name),
    );
    if (!tables.has("kysely_migration") || !tables.has("receipts")) {
      throw new BackupError(`${file} is not an Engage database (no migrations or receipts table).`);
    }
    const counts: Record<string, number> = {};
    for (const table of COUNTED) {
      if (tables.has(table)) counts[table] = (db.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
    }
    const pages = (db.pragma("page_count") as { page_count: number }[])[0].page_count;
    return { pages, counts };
  } finally {
    db.close();
  }
}

/**
 * Copies the live database to `to` as one consistent snapshot: the backup's first step copies
 * every page at once, inside one read transaction, so writes meanwhile neither wait for it nor
 * restart it. The copy is written beside `to` and renamed into place only once it checks out.
 */
export async function backupDatabase(handle: DatabaseHandle, to: string): Promise<BackupSummary> {
  requireSqlite(handle, "backup");
  const target = path.resolve(to);
  if (target === path.resolve(handle.location)) throw new BackupError("--to names the database itself.");
  if (!fs.existsSync(path.dirname(target))) throw new BackupError(`The folder ${path.dirname(target)} does not exist.`);
  const partial = `${target}.partial-${process.pid}`;
  fs.rmSync(partial, { force: true });
  const source = new BetterSqlite3(handle.location, { fileMustExist: true });
  try {
    source.pragma("busy_timeout = 10000");
    await source.backup(partial, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  try {
    // A standalone file: no -wal beside it to lose when it is copied elsewhere.
    const copy = new BetterSqlite3(partial);
    copy.pragma("journal_mode = DELETE");
    copy.close();
    const { pages, counts } = inspect(partial);
    fs.renameSync(partial, target);
    return { File: target, Bytes: fs.statSync(target).size, Pages: pages, Counts: counts };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}

/**
 * Replaces the database's contents with the backup's. Stop the app first: a running server keeps
 * its own counts (rate limits) and would go on from a state the restore replaced.
 */
export async function restoreDatabase(handle: DatabaseHandle, from: string): Promise<BackupSummary> {
  requireSqlite(handle, "restore");
  const source = path.resolve(from);
  if (!fs.existsSync(source)) throw new BackupError(`${source} does not exist.`);
  if (source === path.resolve(handle.location)) throw new BackupError("--from names the database itself.");
  inspect(source);
  const backup = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    await backup.backup(handle.location, { progress: () => 0x7fffffff });
  } finally {
    backup.close();
  }
  // The restored file keeps the app's settings (WAL), then is checked as it now stands.
  const restored = new BetterSqlite3(handle.location);
  restored.pragma("journal_mode = WAL");
  restored.close();
  const { pages, counts } = inspect(handle.location);
  return { File: path.resolve(handle.location), Bytes: fs.statSync(handle.location).size, Pages: pages, Counts: counts };
}
