// The thin node:http adapter: reads the request (at most 1 MiB of body), calls the core,
// writes the response. Mounted by server.ts ahead of Next, or served alone (standalone.ts).
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { wireLoad } from "../../db";
import type { EngageDeps } from "./core";
import { handleEngageRequest } from "./routes";
import { MAX_BODY_BYTES, type EngageRequest } from "./types";

/** True for the Engage API's paths: /v1 and below, any case. */
export function isEngagePath(url: string | undefined): boolean {
  return url !== undefined && /^\/v1(\/|\?|$)/i.test(url);
}

function readBody(req: IncomingMessage): Promise<{ body: string | null; tooLarge: boolean }> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    return Promise.resolve({ body: null, tooLarge: true });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () =>
      resolve({ body: tooLarge || size === 0 ? null : Buffer.concat(chunks).toString("utf8"), tooLarge }),
    );
    req.on("error", reject);
  });
}

export function createEngageNodeHandler(deps: EngageDeps) {
  return async function engageNodeHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Counted while answered: SQLite's group commit holds a transaction for company only then.
    wireLoad.requests++;
    try {
      await answer(req, res);
    } finally {
      wireLoad.requests--;
    }
  };

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://engage.local");
    let request: EngageRequest;
    try {
      const { body, tooLarge } = await readBody(req);
      request = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers as Record<string, string | undefined>,
        body,
        bodyTooLarge: tooLarge,
      };
    } catch {
      res.destroy();
      return;
    }
    const response = await handleEngageRequest(request, deps);
    const headers: Record<string, string> = { ...response.headers, "cache-control": "no-store" };
    if (response.body !== null) headers["content-length"] = String(Buffer.byteLength(response.body));
    if (response.status === 413) headers.connection = "close";
    res.writeHead(response.status, headers);
    res.end(response.body ?? undefined);
  }
}
