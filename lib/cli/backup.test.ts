// `npm run admin -- backup` and `restore`, as an operator runs them: a backup taken while the
// real API process serves a 20-connection receipt load, restored into a new file and over the
// live one, holds every receipt acknowledged before the backup began. SQLite only; on
// PostgreSQL the commands refuse and point at pg_dump.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  freePort,
  freshDatabaseUrl,
  NODE_ARGS,
  prepareTenant,
  sendUntilAnswered,
  startServerProcess,
} from "../engage/testing/server-process";

const run = promisify(execFile);
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

async function admin(databaseUrl: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...NODE_ARGS, "lib/cli/main.ts", ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let fresh: Awaited<ReturnType<typeof freshDatabaseUrl>>;
beforeAll(async () => {
  fresh = await freshDatabaseUrl();
});
afterAll(async () => {
  await fresh?.drop();
});

function receiptIds(file: string): Set<string> {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return new Set((db.prepare("select id from receipts").all() as { id: string }[]).map((r) => r.id));
  } finally {
    db.close();
  }
}

describe.skipIf(onPostgres)("backup and restore (SQLite)", () => {
  test("a backup taken under a 20-connection load holds every receipt acknowledged before it began", { timeout: 180_000 }, async () => {
    const tenant = await prepareTenant(fresh.url, 1);
    const key = tenant.locations[0].key;
    const server = await startServerProcess(fresh.url, await freePort());
    const headers = { authorization: key, "content-type": "application/json" };
    try {
      for (let i = 1; i <= 20; i++) {
        const res = await sendUntilAnswered(`${server.baseUrl}/v1/Customers`, {
          method: "POST",
          headers,
          body: JSON.stringify({ CustomerID: i, ExternalID: `backup-${i}` }),
        });
        expect(res.status).toBe(201);
      }
      const acknowledged: { id: string; at: number }[] = [];
      const failures: number[] = [];
      let loading = true;
      const workers = Array.from({ length: 20 }, async (_, w) => {
        while (loading) {
          const res = await fetch(`${server.baseUrl}/v1/Receipts`, {
            method: "POST",
            headers,
            body: JSON.stringify({ CustomerID: 1 + (w % 20), Skus: [{ SKU: "A", Amount: 2.5, Quantity: 1 }], SubTotal: 2.5, Taxes: 0, Total: 2.5 }),
          });
          const body = (await res.json()) as { ReceiptID: string };
          if (res.status === 201) acknowledged.push({ id: body.ReceiptID, at: Date.now() });
          else failures.push(res.status);
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const backupFile = path.join(fresh.dir, "backup.sqlite");
      const begun = Date.now();
      const ackedBefore = acknowledged.filter((a) => a.at < begun).map((a) => a.id);
      const backup = await admin(fresh.url, ["backup", "--to", backupFile, "--json"]);
      const during = acknowledged.filter((a) => a.at >= begun).length;
      await new Promise((resolve) => setTimeout(resolve, 500));
      loading = false;
      await Promise.all(workers);
      expect(backup.code, backup.stderr).toBe(0);
      const summary = JSON.parse(backup.stdout) as { File: string; Bytes: number; Counts: Record<string, number> };
      expect(summary.File).toBe(backupFile);
      expect(summary.Bytes).toBe(fs.statSync(backupFile).size);
      expect(failures).toEqual([]);
      // A standalone file: no -wal beside it.
      expect(fs.existsSync(`${backupFile}-wal`)).toBe(false);

      // Restored into a new database, the copy holds every receipt acknowledged before the backup began.
      const restoredFile = path.join(fresh.dir, "restored.sqlite");
      const restore = await admin(`file:${restoredFile}`, ["restore", "--from", backupFile, "--json"]);
      expect(restore.code, restore.stderr).toBe(0);
      const restored = receiptIds(restoredFile);
      const missing = ackedBefore.filter((id) => !restored.has(id));
      const integrity = new BetterSqlite3(restoredFile, { readonly: true });
      const check = (integrity.pragma("integrity_check") as { integrity_check: string }[])[0].integrity_check;
      const linesWithoutReceipt = (
        integrity.prepare("select count(*) as n from receipt_lines where receipt_id not in (select id from receipts)").get() as { n: number }
      ).n;
      integrity.close();
      console.log(
        `[backup] under load: ${ackedBefore.length} receipts acknowledged before the backup began, ${during} while it ran; ` +
          `backup holds ${summary.Counts.receipts} (${summary.Bytes} bytes); restored: ${restored.size}, ${missing.length} missing; integrity_check ${check}`,
      );
      expect(ackedBefore.length).toBeGreaterThan(50);
      expect(missing).toEqual([]);
      expect(restored.size).toBe(summary.Counts.receipts);
      expect(check).toBe("ok");
      expect(linesWithoutReceipt).toBe(0);

      // The restored database serves: the API reads a receipt from it.
      const second = await startServerProcess(`file:${restoredFile}`, await freePort());
      try {
        const one = await fetch(`${second.baseUrl}/v1/Receipts/${ackedBefore[0]}`, { headers });
        expect(one.status).toBe(200);
      } finally {
        await second.stop();
      }
    } finally {
      await server.stop();
    }

    // Restored over the live file (app stopped): it holds the backup's receipts and no others.
    const liveFile = fresh.url.slice("file:".length);
    const before = receiptIds(liveFile).size;
    const over = await admin(fresh.url, ["restore", "--from", path.join(fresh.dir, "backup.sqlite")]);
    expect(over.code, over.stderr).toBe(0);
    expect(over.stdout).toMatch(/^Restored .* integrity ok\): .*receipts/);
    const after = receiptIds(liveFile);
    expect(after).toEqual(receiptIds(path.join(fresh.dir, "backup.sqlite")));
    expect(after.size).toBeLessThan(before);
  });

  test("refuses a file that is not an Engage database, a missing one, and --to the database itself", { timeout: 120_000 }, async () => {
    const junk = path.join(fresh.dir, "junk.sqlite");
    fs.writeFileSync(junk, "not a database at all".repeat(100));
    const notDb = await admin(fresh.url, ["restore", "--from", junk]);
    expect(notDb.code).toBe(1);
    expect(notDb.stderr).toMatch(/^error: /);
    const empty = path.join(fresh.dir, "empty.sqlite");
    new BetterSqlite3(empty).close();
    expect((await admin(fresh.url, ["restore", "--from", empty])).stderr).toMatch(/not an Engage database/);
    expect((await admin(fresh.url, ["restore", "--from", path.join(fresh.dir, "nope.sqlite")])).stderr).toMatch(/does not exist/);
    expect((await admin(fresh.url, ["backup", "--to", fresh.url.slice("file:".length)])).stderr).toMatch(/names the database itself/);
    expect((await admin(fresh.url, ["backup", "--to", "/no/such/folder/x.sqlite"])).stderr).toMatch(/does not exist/);
    const usage = await admin(fresh.url, ["backup"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--to is required/);
  });
});

describe.skipIf(!onPostgres)("backup on PostgreSQL", () => {
  test("refuses and says to use pg_dump", { timeout: 60_000 }, async () => {
    await prepareTenant(fresh.url, 1);
    const res = await admin(fresh.url, ["backup", "--to", path.join(fresh.dir, "x.sqlite")]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/pg_dump/);
  });
});
