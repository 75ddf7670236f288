// The Engage API alone, without the console: `npm run start:api`, for scaling the API on
// its own processes (several of them on one PostgreSQL).
import "server-only";
import http from "node:http";
import { listenAddress } from "../../node/args";
import { startEngageRuntime } from "../runtime";
import { isEngagePath } from "./node";

const { hostname, port } = listenAddress(process.argv.slice(2));
const runtime = await startEngageRuntime();
const server = http.createServer((req, res) => {
  if (isEngagePath(req.url)) {
    void runtime.nodeHandler(req, res);
    return;
  }
  res.writeHead(404, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify({ Message: "Only the Engage API (/v1) is served here.", Code: "not_found" }));
});
server.keepAliveTimeout = 65_000;
server.listen(port, hostname, () => {
  console.log(`Engage API listening on http://${hostname}:${port}/v1 (${runtime.deps.database.dialect})`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close();
    void runtime.close().then(() => runtime.deps.database.close()).finally(() => process.exit(0));
  });
}
