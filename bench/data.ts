// The benchmarks' data: a merchant group at scale, made once by `npm run admin -- seed-scale`
// and kept in .bench-data/ (SQLite) or a database of its own (PostgreSQL), with the keys in a
// JSON file beside it. BENCH_QUICK=1 (the CI smoke run) uses a small group instead.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

export const QUICK = process.env.BENCH_QUICK === "1";
export const SCALE = {
  customers: Number(process.env.BENCH_CUSTOMERS ?? (QUICK ? 20_000 : 1_000_000)),
  receipts: Number(process.env.BENCH_RECEIPTS ?? (QUICK ? 60_000 : 5_000_000)),
};
export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DATA_DIR = path.resolve(".bench-data");

export interface ScaleData {
  databaseUrl: string;
  /** The SQLite file, for the reference server (SQLite only). */
  file: string | null;
  GroupID: number;
  GroupKey: string;
  Locations: { LocationID: number; Name: string; Key: string }[];
  Customers: number;
  Receipts: number;
  seedSeconds: number | null;
}

function runSeed(databaseUrl: string): Omit<ScaleData, "databaseUrl" | "file" | "seedSeconds"> & { Seconds: number } {
  const out = execFileSync(
    process.execPath,
    [
      "--import", "tsx", "--import", "./lib/node/server-only-hook.mjs", "lib/cli/main.ts",
      "seed-scale", "--customers", String(SCALE.customers), "--receipts", String(SCALE.receipts), "--json",
    ],
    { env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20 },
  );
  return JSON.parse(out);
}

/** The scale group on SQLite (dialect "sqlite") or PostgreSQL, made if missing. */
export async function scaleData(dialect: "sqlite" | "postgres"): Promise<ScaleData> {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const name = `scale-${SCALE.customers}-${SCALE.receipts}`;
  const meta = path.join(DATA_DIR, `${name}.${dialect}.json`);
  if (dialect === "sqlite") {
    const file = path.join(DATA_DIR, `${name}.sqlite`);
    const databaseUrl = `file:${file}`;
    if (fs.existsSync(meta) && fs.existsSync(file)) return { ...JSON.parse(fs.readFileSync(meta, "utf8")), seedSeconds: null };
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    console.log(`[bench] seeding ${SCALE.customers} customers and ${SCALE.receipts} receipts on SQLite (once; kept in .bench-data/)`);
    const seeded = runSeed(databaseUrl);
    const data: ScaleData = { ...seeded, databaseUrl, file, seedSeconds: seeded.Seconds };
    fs.writeFileSync(meta, JSON.stringify(data));
    return data;
  }
  const database = `engage_bench_${SCALE.customers}_${SCALE.receipts}`;
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const exists = await admin.query("select 1 from pg_database where datname = $1", [database]);
    if (exists.rowCount && fs.existsSync(meta)) return { ...JSON.parse(fs.readFileSync(meta, "utf8")), seedSeconds: null };
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.query(`create database ${database}`);
  } finally {
    await admin.end();
  }
  console.log(`[bench] seeding ${SCALE.customers} customers and ${SCALE.receipts} receipts on PostgreSQL (once; kept in database ${database})`);
  const seeded = runSeed(databaseUrl);
  const data: ScaleData = { ...seeded, databaseUrl, file: null, seedSeconds: seeded.Seconds };
  fs.writeFileSync(meta, JSON.stringify(data));
  return data;
}
