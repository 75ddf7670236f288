// Starts a production server for Playwright on a fresh, throw-away SQLite database in
// E2E_DIR (emptied first). With E2E_SEED=demo the database gets the demo group and its
// logins before the server starts. Expects `next build` to have run already.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const port = process.env.PORT ?? "3100";
const dir = resolve(process.env.E2E_DIR ?? `.test-output/e2e-${port}`);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const env = {
  ...process.env,
  PORT: port,
  DATABASE_URL: `file:${join(dir, "engage.sqlite")}`,
  ENGAGE_DATA_DIR: dir,
  ENGAGE_TIMEOUT_MS: process.env.ENGAGE_TIMEOUT_MS ?? "3000",
  // Every spec signs in from 127.0.0.1; the per-account lock is what the specs exercise.
  SIGN_IN_ADDRESS_LIMIT: process.env.SIGN_IN_ADDRESS_LIMIT ?? "1000",
};

console.log(`[e2e-server] ${env.DATABASE_URL} on port ${port}${process.env.E2E_SEED ? ` (seed: ${process.env.E2E_SEED})` : ""}`);
if (process.env.E2E_SEED === "demo") {
  execFileSync("npm", ["run", "-s", "admin", "--", "seed-demo"], { env, stdio: "inherit" });
}

// What `npm start` runs, started directly: a signal then reaches the server itself (through
// npm and a shell it would not, and the server would outlive the test run).
const child = spawn(
  process.execPath,
  ["--import", "tsx", "--import", "./lib/node/server-only-hook.mjs", "server.ts", "-H", "127.0.0.1"],
  { stdio: "inherit", env: { ...env, NODE_ENV: "production" } },
);

// Playwright stops the web server with a signal; pass it on.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
