// Benchmark: a campaign sent to 10,000 customers of the scale group. Goal: all 10,000 decided
// (offers and their outbox rows written) within 1 s of the 204. The production server runs
// pinned to core 0 on the scale database (BENCH_DIALECT=postgres: on PostgreSQL).
import fs from "node:fs";
import { scaleData } from "./data";
import { startPinned, stop } from "./lib";

const RECIPIENTS = 10_000;
const dialect = process.env.BENCH_DIALECT === "postgres" ? "postgres" : "sqlite";
const data = await scaleData(dialect);
const port = 3922;
const base = `http://127.0.0.1:${port}/v1`;
const headers = { "content-type": "application/json", authorization: data.GroupKey };

const built = fs.existsSync(`${process.env.NEXT_DIST_DIR || ".next"}/BUILD_ID`);
const entry = built ? "server.ts" : "lib/engage/http/standalone.ts";
const server = await startPinned(
  0,
  ["--import", "tsx", "--import", "./lib/node/server-only-hook.mjs", entry, "-p", String(port), "-H", "127.0.0.1"],
  { NODE_ENV: "production", DATABASE_URL: data.databaseUrl, ENGAGE_RATE_LIMIT: "off" },
  /ready on|listening on/,
);
try {
  const runs: number[] = [];
  for (let run = 0; run < 3; run++) {
    const campaign = await fetch(`${base}/Campaigns/Group`, {
      method: "POST",
      headers,
      body: JSON.stringify({ AmountOff: 5, MinimumPurchase: 20, DaysTillExpiration: 30, Name: `Bench send ${Date.now()}` }),
    });
    if (campaign.status !== 201) throw new Error(`campaign: ${campaign.status} ${await campaign.text()}`);
    const { CampaignID } = (await campaign.json()) as { CampaignID: number };
    // 10,000 distinct customers spread over the group.
    const step = Math.max(1, Math.floor(data.Customers / RECIPIENTS));
    const ids = Array.from({ length: Math.min(RECIPIENTS, data.Customers) }, (_, i) => 1 + ((i * step + run) % data.Customers));
    const started = performance.now();
    const sent = await fetch(`${base}/Campaigns/${CampaignID}/Offers`, { method: "POST", headers, body: JSON.stringify(ids) });
    if (sent.status !== 204) throw new Error(`send: ${sent.status} ${await sent.text()}`);
    const accepted = performance.now();
    let stats: { Pending: number; OffersIssued: number; Skipped?: Record<string, number> } | undefined;
    for (;;) {
      const res = await fetch(`${base}/Campaigns/${CampaignID}`, { headers });
      stats = ((await res.json()) as { Stats: typeof stats }).Stats;
      if (stats && stats.Pending === 0) break;
      if (performance.now() - accepted > 60_000) throw new Error("not decided within a minute");
      await new Promise((r) => setTimeout(r, 5));
    }
    const decided = performance.now() - accepted;
    runs.push(decided);
    console.log(
      `  run ${run + 1}: 204 after ${(accepted - started).toFixed(0)} ms; all ${ids.length} decided ${decided.toFixed(0)} ms after the 204 (${stats!.OffersIssued} offers)`,
    );
  }
  const best = Math.min(...runs);
  const worst = Math.max(...runs);
  console.log(`send: ${RECIPIENTS} customers over ${data.Customers} (${dialect}, ${entry})`);
  console.log(`  decided within ${worst.toFixed(0)} ms of the 204 (best ${best.toFixed(0)} ms; goal ≤ 1000 ms)`);
} finally {
  await stop(server);
}
