// Sums the results of every step of scripts/test.sh into one table and a last line
// `N passed, M failed`. Exits non-zero when anything failed or nothing ran.
//
// Input: a tab-separated steps file, one line per step:
//   <kind> <name> <exit code> <json report or -> <seconds>
// kind "check" is one test (passed if it exited 0); "vitest" and "playwright" are read from
// their JSON reports; "skipped" is one failed test (a step that could not run); "unchecked" is
// a check whose outside service did not answer, shown but counted neither way.
import { existsSync, readFileSync } from "node:fs";

const stepsFile = process.argv[2] ?? ".test-output/steps.tsv";

function readJson(path) {
  if (!path || path === "-" || !existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

function countVitest(report) {
  return {
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    // A file that fails to load has no failed test but a failed suite.
    suiteErrors: report.numFailedTestSuites ?? 0,
    note: report.numPendingTests || report.numTodoTests
      ? `${(report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)} skipped`
      : "",
  };
}

function countPlaywright(report) {
  const stats = report.stats ?? {};
  const flaky = stats.flaky ?? 0;
  const notes = [];
  if (flaky) notes.push(`${flaky} flaky (passed on retry)`);
  if (stats.skipped) notes.push(`${stats.skipped} skipped`);
  return {
    passed: (stats.expected ?? 0) + flaky,
    failed: stats.unexpected ?? 0,
    // Global errors: the web server did not start, a spec file did not compile, ...
    suiteErrors: Array.isArray(report.errors) ? report.errors.length : 0,
    note: notes.join(", "),
  };
}

const rows = [];
const lines = existsSync(stepsFile) ? readFileSync(stepsFile, "utf8").split("\n") : [];
for (const line of lines) {
  if (!line.trim()) continue;
  const [kind, name, exitCodeText, jsonPath, seconds] = line.split("\t");
  const exitCode = Number(exitCodeText);
  let passed = 0;
  let failed = 0;
  let note = "";

  if (kind === "check") {
    if (exitCode === 0) passed = 1;
    else failed = 1;
  } else if (kind === "unchecked") {
    // A check that could not be made here (npm audit without its advisory endpoint): neither passed nor failed.
    note = "NOT CHECKED (could not be made here)";
  } else if (kind === "skipped") {
    failed = 1;
    note = "not run";
  } else {
    const report = readJson(jsonPath);
    if (!report) {
      failed = 1;
      note = `no report (exit ${exitCode})`;
    } else {
      const counts = kind === "vitest" ? countVitest(report) : countPlaywright(report);
      passed = counts.passed;
      failed = counts.failed;
      note = counts.note;
      // A non-zero exit with no failed test (load error, global error, no tests found)
      // still has to show up as a failure.
      if (exitCode !== 0 && failed === 0) {
        failed = Math.max(1, counts.suiteErrors);
        note = [note, `exit ${exitCode} without a failed test`].filter(Boolean).join(", ");
      }
    }
  }
  rows.push({ name, passed, failed, seconds: seconds ?? "", note });
}

const total = rows.reduce(
  (sum, row) => ({ passed: sum.passed + row.passed, failed: sum.failed + row.failed }),
  { passed: 0, failed: 0 },
);

const header = { name: "step", passed: "passed", failed: "failed", seconds: "time (s)", note: "" };
const totalRow = { name: "total", ...total, seconds: "", note: "" };
const width = (key) => Math.max(...[header, ...rows, totalRow].map((row) => String(row[key]).length));
const widths = { name: width("name"), passed: width("passed"), failed: width("failed"), seconds: width("seconds") };
const format = (row) =>
  [
    String(row.name).padEnd(widths.name),
    String(row.passed).padStart(widths.passed),
    String(row.failed).padStart(widths.failed),
    String(row.seconds).padStart(widths.seconds),
    row !== header && row.failed ? `FAIL ${row.note}`.trimEnd() : row.note,
  ]
    .join("  ")
    .trimEnd();

const rule = "-".repeat(widths.name + widths.passed + widths.failed + widths.seconds + 12);
console.log("");
console.log("Test summary");
console.log(rule);
console.log(format(header));
console.log(rule);
for (const row of rows) console.log(format(row));
console.log(rule);
console.log(format(totalRow));
console.log(`${total.passed} passed, ${total.failed} failed`);

process.exit(total.failed > 0 || total.passed + total.failed === 0 ? 1 : 0);
