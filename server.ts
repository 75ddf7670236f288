// The app's own server: the Engage API (/v1, hot: every sale of every store) is answered by
// its lean node:http handler; every other request goes to Next.js (the console).
import "server-only";
import http from "node:http";
import next from "next";
import { registerEmbeddedEngage } from "./lib/console/engage-client";
import { isEngagePath } from "./lib/engage/http/node";
import { startEngageRuntime } from "./lib/engage/runtime";
import { listenAddress } from "./lib/node/args";

const { hostname, port, dev } = listenAddress(process.argv.slice(2));
const runtime = await startEngageRuntime();
// The console's in-process Engage client uses this same runtime (database, send worker).
registerEmbeddedEngage(runtime.deps);
// Sign-in throttling keys on the client's address. Behind a reverse proxy that sets
// X-Forwarded-For, TRUST_PROXY=1 keeps its header; otherwise a client cannot choose its own.
const trustProxy = process.env.TRUST_PROXY === "1";
const app = next({ dev, hostname, port, turbopack: dev });
const nextHandler = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  if (isEngagePath(req.url)) {
    void runtime.nodeHandler(req, res);
    return;
  }
  const forwarded = req.headers["x-forwarded-for"];
  // The client's address: the proxy's first entry when we trust it, else the socket's.
  req.headers["x-forwarded-for"] =
    trustProxy && typeof forwarded === "string" && forwarded.trim()
      ? forwarded.split(",")[0].trim()
      : (req.socket.remoteAddress ?? "unknown");
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
