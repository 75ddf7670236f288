// The daily automations' scheduler, in every app process: at start-up and then every few
// minutes it looks whether today's run (UTC) has completed and, if not, claims the day with
// a lease row and runs it. Several app instances on one PostgreSQL: one claims the day, the
// others see the lease and wait; should the claimant die, its lease runs out and another
// takes over. A second run of a day would still issue nothing twice (the offers' unique
// trigger keys); the lease only spares the wasted work.
import "server-only";
import type { DatabaseHandle } from "../db";
import { runDailyAutomations, type DailyRunResult } from "./automations";

const LEASE_MS = 5 * 60_000;
const POLL_MS = 10 * 60_000;

export const runDateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Takes the day's lease when the day is not done and nobody holds it; false otherwise. */
export async function claimRun(handle: DatabaseHandle, runDate: string, now: number, leaseMs = LEASE_MS): Promise<boolean> {
  const inserted = await handle.db
    .insertInto("automation_runs")
    .values({ run_date: runDate, started_at: now, lease_until: now + leaseMs, completed_at: null })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return true;
  const taken = await handle.db
    .updateTable("automation_runs")
    .set({ started_at: now, lease_until: now + leaseMs })
    .where("run_date", "=", runDate)
    .where("completed_at", "is", null)
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}

export interface AutomationScheduler {
  /** Runs today's automations now unless done or running elsewhere; null when it did not run. */
  tick(): Promise<DailyRunResult | null>;
  stop(): Promise<void>;
}

export function startAutomationScheduler(
  handle: DatabaseHandle,
  { pollMs = POLL_MS, leaseMs = LEASE_MS, now = Date.now }: { pollMs?: number; leaseMs?: number; now?: () => number } = {},
): AutomationScheduler {
  let running: Promise<DailyRunResult | null> | null = null;
  let stopped = false;

  async function runToday(): Promise<DailyRunResult | null> {
    const runDate = runDateOf(now());
    const done = await handle.db
      .selectFrom("automation_runs")
      .select("completed_at")
      .where("run_date", "=", runDate)
      .executeTakeFirst();
    if (done?.completed_at != null) return null;
    if (!(await claimRun(handle, runDate, now(), leaseMs))) return null;
    const renew = () =>
      handle.db
        .updateTable("automation_runs")
        .set({ lease_until: now() + leaseMs })
        .where("run_date", "=", runDate)
        .where("completed_at", "is", null)
        .execute();
    try {
      const result = await runDailyAutomations(handle, {
        date: runDate,
        now,
        onBatch: async () => {
          if (stopped) throw new Error("stopped");
          await renew();
        },
      });
      await handle.db
        .updateTable("automation_runs")
        .set({ completed_at: now(), lease_until: null, offers_issued: result.Birthday + result.WinBack })
        .where("run_date", "=", runDate)
        .execute();
      return result;
    } catch (error) {
      // Give the day up at once, so the next tick (here or in another instance) runs it again.
      await handle.db
        .updateTable("automation_runs")
        .set({ lease_until: null })
        .where("run_date", "=", runDate)
        .where("completed_at", "is", null)
        .execute()
        .catch(() => undefined);
      throw error;
    }
  }

  function tick(): Promise<DailyRunResult | null> {
    if (stopped) return Promise.resolve(null);
    running ??= runToday()
      .catch((error: unknown) => {
        if (!stopped) console.error("[engage] daily automations:", error);
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  const timer = setInterval(() => void tick(), pollMs);
  timer.unref();
  // At start-up: a day the process was down for (or started in) is run now, not tomorrow.
  void tick();

  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running) await running;
    },
  };
}
