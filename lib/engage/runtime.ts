// The Engage platform as a running service: the database (migrated), the campaign send
// worker and housekeeping, shared by server.ts, the standalone API and the tests.
import "server-only";
import { getDatabase, type DatabaseHandle } from "../db";
import { startSendWorker } from "./campaign-sends";
import type { EngageDeps } from "./http/core";
import { createEngageNodeHandler } from "./http/node";
import { pruneIdempotencyKeys } from "./idempotency";

export interface EngageRuntime {
  deps: EngageDeps;
  nodeHandler: ReturnType<typeof createEngageNodeHandler>;
  close(): Promise<void>;
}

export async function startEngageRuntime(database?: DatabaseHandle): Promise<EngageRuntime> {
  const handle = database ?? (await getDatabase());
  const worker = startSendWorker(handle);
  const deps: EngageDeps = { database: handle, worker };
  const prune = setInterval(() => {
    pruneIdempotencyKeys({ db: handle.db, now: Date.now }).catch((e: unknown) => console.error("[engage] prune:", e));
  }, 3600_000);
  prune.unref();
  return {
    deps,
    nodeHandler: createEngageNodeHandler(deps),
    async close() {
      clearInterval(prune);
      await worker.stop();
    },
  };
}
