// The app's own server: the Engage API (/v1, hot: every sale of every store) is answered by
// its lean node:http handler; every other request goes to Next.js (the console).
import "server-only";
import http from "node:http";
import next from "next";
import { isEngagePath } from "./lib/engage/http/node";
import { startEngageRuntime } from "./lib/engage/runtime";
import { listenAddress } from "./lib/node/args";

const { hostname, port, dev } = listenAddress(process.argv.slice(2));
const runtime = await startEngageRuntime();
const app = next({ dev, hostname, port, turbopack: dev });
const nextHandler = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  if (isEngagePath(req.url)) {
    void runtime.nodeHandler(req, res);
    return;
  }
  void nextHandler(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(port, hostname, () => {
  const shown = hostname === "0.0.0.0" ? "localhost" : hostname;
  console.log(`Engage Console ready on http://${shown}:${port} (Engage API at /v1, ${runtime.deps.database.dialect} database: ${runtime.deps.database.location})`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close();
    void runtime
      .close()
      .then(() => runtime.deps.database.close())
      .finally(() => process.exit(0));
  });
}
