// Starts the production server for Playwright on a fresh, throw-away SQLite database, so
// every run begins empty. Expects `next build` to have run already.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const port = process.env.PORT ?? "3100";
const dir = mkdtempSync(join(tmpdir(), "engage-e2e-"));
const databaseUrl = `file:${join(dir, "engage.sqlite")}`;

console.log(`[e2e-server] DATABASE_URL=${databaseUrl} PORT=${port}`);

const child = spawn("npm", ["start", "--", "-H", "127.0.0.1"], {
  stdio: "inherit",
  env: { ...process.env, PORT: port, DATABASE_URL: databaseUrl },
});

let cleaned = false;
function cleanUp() {
  if (cleaned) return;
  cleaned = true;
  rmSync(dir, { recursive: true, force: true });
}

// Playwright stops the web server with a signal; pass it on and remove the database.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    child.kill(signal);
  });
}

child.on("exit", (code, signal) => {
  cleanUp();
  process.exit(code ?? (signal ? 1 : 0));
});
