// `npm run fuzz`: the long fuzzing run (FUZZ_CASES in all, default 20,000, spread over every
// endpoint) on a fresh SQLite file, or a fresh PostgreSQL database with TEST_DATABASE_URL.
// FUZZ_SEED replays a run; FUZZ_ONLY="POST /Receipts" narrows it. Exits 1 on any failure.
import "server-only";
import { startTestServer } from "../testing/harness";
import { fuzzEndpoints, prepareFixture } from "./fuzz";
import { engage } from "./routes";

const total = Number(process.env.FUZZ_CASES ?? 20_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);
const only = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY, "i") : undefined;
const routes = engage.routes().filter((r) => !only || only.test(`${r.method} ${r.pattern}`)).length;
const perEndpoint = Math.ceil(total / Math.max(1, routes));

// No limits, and no deliveries in the background: the fuzzer judges what requests do.
const server = await startTestServer({ rateLimit: null, notifications: false });
let failed = true;
try {
  const fixture = await prepareFixture(server);
  console.log(`[fuzz] ${server.database.dialect}: ${perEndpoint} cases on each of ${routes} endpoints, seed ${seed}`);
  const report = await fuzzEndpoints({ server, fixture, casesPerEndpoint: perEndpoint, seed, only, log: (line) => console.log(line) });
  console.log(
    `[fuzz] ${report.totalCases} cases in ${report.seconds.toFixed(0)} s: ${report.fiveXX} 5xx, ` +
      `${report.endpoints.reduce((n, e) => n + e.unchangedChecks, 0)} 4xx checked unchanged, ` +
      `${report.endpoints.reduce((n, e) => n + e.roundTrips, 0)} writes round-tripped, ${report.failures.length} failing endpoints`,
  );
  for (const failure of report.failures) console.log(`FAIL ${failure}`);
  failed = report.failures.length > 0;
} finally {
  await server.close();
}
process.exit(failed ? 1 : 0);
