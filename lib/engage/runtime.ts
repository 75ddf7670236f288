// The Engage platform as a running service: the database (migrated), the campaign send
// worker, the daily automations' scheduler and housekeeping, shared by server.ts, the
// standalone API and the tests.
import "server-only";
import { getDatabase, type DatabaseHandle } from "../db";
import { startSendWorker } from "./campaign-sends";
import type { EngageDeps } from "./http/core";
import { createEngageNodeHandler } from "./http/node";
import { createRateLimiter, rateLimitFromEnv, type RateLimitPolicy, type RateLimiter } from "./http/rate-limit";
import { pruneIdempotencyKeys } from "./idempotency";
import { notificationConfig } from "./notifications/config";
import { startNotificationWorker, type NotificationWorker, type NotificationWorkerOptions } from "./notifications/worker";
import { startAutomationScheduler } from "./scheduler";

export interface EngageRuntime {
  deps: EngageDeps;
  nodeHandler: ReturnType<typeof createEngageNodeHandler>;
  /** The per-key limits of requests from the wire. */
  rateLimiter: RateLimiter;
  /** Delivers the outbox (lib/engage/notifications); null when turned off. */
  notifications: NotificationWorker | null;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** The limit of keys without their own; undefined reads ENGAGE_RATE_LIMIT, null turns limits off. */
  rateLimit?: RateLimitPolicy | null;
  /** The notification worker's settings; false: no deliveries from this process. */
  notifications?: NotificationWorkerOptions | false;
}

export async function startEngageRuntime(database?: DatabaseHandle, options: RuntimeOptions = {}): Promise<EngageRuntime> {
  // A malformed ENGAGE_RATE_LIMIT stops the start with a clear message, before anything runs.
  const policy = options.rateLimit === undefined ? rateLimitFromEnv() : options.rateLimit;
  // So does a half-configured notification channel (SMS_API_URL without SMS_TOKEN, …).
  notificationConfig();
  const handle = database ?? (await getDatabase());
  const worker = startSendWorker(handle);
  const scheduler = startAutomationScheduler(handle);
  const deps: EngageDeps = { database: handle, worker };
  const notifications = options.notifications === false ? null : startNotificationWorker(handle, options.notifications);
  const rateLimiter = createRateLimiter(handle, { policy });
  const prune = setInterval(() => {
    pruneIdempotencyKeys({ db: handle.db, now: Date.now }).catch((e: unknown) => console.error("[engage] prune:", e));
  }, 3600_000);
  prune.unref();
  return {
    deps,
    // Only the wire is limited: the console's in-process calls (deps) are its staff's, behind sign-in.
    nodeHandler: createEngageNodeHandler({ ...deps, rateLimiter }),
    rateLimiter,
    notifications,
    async close() {
      clearInterval(prune);
      await worker.stop();
      await notifications?.stop();
      await scheduler.stop();
    },
  };
}
