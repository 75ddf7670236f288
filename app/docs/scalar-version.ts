// The installed Scalar's version: the bundle's URL changes with it, so a year's cache is safe.
import fs from "node:fs";
import path from "node:path";

let version: string | null = null;

export function scalarVersion(): string {
  version ??= (
    JSON.parse(fs.readFileSync(path.join(process.cwd(), "node_modules", "@scalar", "api-reference", "package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  return version;
}
