// Dependency hygiene: `npm audit --omit=dev` must report no high or critical advisory in what
// the app ships. Exit codes: 0 none found; 1 high or critical advisories (listed); 3 the check
// could not be made (the registry's advisory endpoint did not answer: a mirror without it, no
// network), said plainly and never taken for a pass. With --allow-unavailable (CI) that one
// case exits 0 after saying so; a found advisory always fails. --report FILE reads a saved
// `npm audit --json` instead of running it.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const allowUnavailable = process.argv.includes("--allow-unavailable");
const BLOCKING = ["high", "critical"];

const reportAt = process.argv.indexOf("--report");
const result =
  reportAt > 0
    ? { stdout: readFileSync(process.argv[reportAt + 1], "utf8"), status: 0, stderr: "" }
    : spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8", timeout: 120_000 });
let report;
try {
  report = JSON.parse(result.stdout || "null");
} catch {
  report = null;
}

function unavailable(reason) {
  console.log(`npm audit: NOT CHECKED. The advisory database could not be reached (${reason}).`);
  console.log("npm audit: this is not a pass: run `npm audit --omit=dev` where the registry's advisory endpoint answers.");
  process.exit(allowUnavailable ? 0 : 3);
}

if (result.error) unavailable(result.error.message);
if (!report || typeof report !== "object") unavailable(`no JSON from npm audit, exit ${result.status}: ${(result.stderr || "").trim().slice(0, 300)}`);
// npm prints the registry's error as JSON when the advisory endpoint fails (405 on a mirror, ENOTFOUND offline, …).
if (!report.metadata && (report.error || report.statusCode || report.message)) {
  const what = report.message || report.error?.summary || report.error?.code || `status ${report.statusCode}`;
  unavailable(String(what).slice(0, 300));
}

const counts = report.metadata?.vulnerabilities ?? {};
const dependencies = report.metadata?.dependencies?.prod ?? report.metadata?.dependencies?.total ?? "?";
const blocking = Object.values(report.vulnerabilities ?? {}).filter((v) => BLOCKING.includes(v.severity));
const summary = ["critical", "high", "moderate", "low", "info"].map((s) => `${counts[s] ?? 0} ${s}`).join(", ");
console.log(`npm audit (production dependencies: ${dependencies}): ${summary}`);
if (blocking.length > 0) {
  for (const v of blocking) {
    const via = (v.via ?? []).map((x) => (typeof x === "string" ? x : `${x.title ?? x.source} (${x.url ?? "no url"})`)).join("; ");
    console.log(`  ${v.severity.toUpperCase()} ${v.name}${v.range ? ` ${v.range}` : ""}: ${via}${v.fixAvailable ? " — a fix is available" : ""}`);
  }
  console.log(`npm audit: ${blocking.length} package(s) with high or critical advisories: failing.`);
  process.exit(1);
}
console.log("npm audit: no high or critical advisory.");
