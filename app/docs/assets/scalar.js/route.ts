// Scalar's API reference bundle, served by the app itself so /docs works with no internet.
// The URL carries the package's version (?v=…), so the file is cached for a year.
import fs from "node:fs/promises";
import path from "node:path";

const PACKAGE = path.join(process.cwd(), "node_modules", "@scalar", "api-reference");

let bundle: Promise<Buffer> | null = null;

export async function GET(): Promise<Response> {
  bundle ??= fs.readFile(path.join(PACKAGE, "dist", "browser", "standalone.js"));
  const body = await bundle;
  return new Response(new Uint8Array(body), {
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    },
  });
}
