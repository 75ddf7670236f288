// The delivery worker: runs in every app process, claims due outbox rows with a lease (so
// several instances on one PostgreSQL never deliver one message twice), checks consent again
// right before sending, sends, and records every attempt. Failures that may pass are retried
// with exponential backoff and jitter, capped; a refusal no retry can change fails at once.
import "server-only";
import { randomUUID } from "node:crypto";
import type { DatabaseHandle } from "../../db";
import type { Insertable, Updateable } from "kysely";
import type { NotificationAttemptTable, NotificationChannel, NotificationTable } from "../../db/schema";
import { serializeOffer } from "../offers";
import { createAppChannel } from "./channels/app";
import { createEmailChannel } from "./channels/email";
import { createSmsChannel } from "./channels/sms";
import { errorText, type Channel, type DeliveryOutcome, type OutgoingMessage } from "./channels/types";
import { notificationConfig, type NotificationConfig } from "./config";
import { NO_TRANSPORT } from "./outbox";
import { unsubscribeToken } from "./signing";
import { renderOffer } from "./templates";

export interface RetryPolicy {
  /** The first retry waits about this long; each further one twice as long. */
  baseMs: number;
  /** No wait is longer. */
  maxMs: number;
  /** Attempts in all before a message is Failed. */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 30_000, maxMs: 3_600_000, maxAttempts: 8 };

/** The wait before the next attempt, after `attempts` have failed: half fixed, half random ("equal jitter"). */
export function retryDelay(attempts: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export interface NotificationWorkerOptions {
  pollMs?: number;
  /** Rows claimed at a time. */
  batchSize?: number;
  /** Deliveries in flight at once. */
  concurrency?: number;
  leaseMs?: number;
  retry?: Partial<RetryPolicy>;
  /** The channels' settings; the environment's by default. */
  config?: () => NotificationConfig;
}

export interface NotificationWorker {
  /** Look for due messages now rather than at the next poll. */
  kick(): void;
  /** Resolves when no message is due (later retries may still be waiting). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

type Outcome = Updateable<NotificationTable>;

async function claim(handle: DatabaseHandle, owner: string, batchSize: number, leaseMs: number): Promise<number[]> {
  const now = Date.now();
  const candidates = await handle.db
    .selectFrom("notifications")
    .select("id")
    .where("status", "=", "Pending")
    .where("next_attempt_at", "<=", now)
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
    .orderBy("next_attempt_at")
    .orderBy("id")
    .limit(batchSize)
    .execute();
  if (candidates.length === 0) return [];
  // The same conditions again in the UPDATE: of two workers that saw the same rows, each row
  // goes to the one whose UPDATE reaches it first (PostgreSQL re-checks them after the wait).
  const claimed = await handle.db
    .updateTable("notifications")
    .set({ lease_until: now + leaseMs, lease_owner: owner })
    .where(
      "id",
      "in",
      candidates.map((c) => c.id),
    )
    .where("status", "=", "Pending")
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
    .returning("id")
    .execute();
  return claimed.map((c) => c.id).sort((a, b) => a - b);
}

/** Everything one delivery needs, read again right before it: consent may have changed since the offer. */
async function loadMessage(handle: DatabaseHandle, id: number, owner: string) {
  return handle.db
    .selectFrom("notifications as n")
    .innerJoin("customers as c", "c.id", "n.customer_pk")
    .innerJoin("offers as o", "o.id", "n.offer_id")
    .innerJoin("groups as g", "g.id", "n.group_id")
    .leftJoin("campaigns as cp", "cp.id", "o.campaign_id")
    .leftJoin("automations as a", "a.id", "o.automation_id")
    .leftJoin("locations as l", "l.id", "o.location_id")
    .selectAll("o")
    .select([
      "n.id as notification_id",
      "n.channel",
      "n.attempts",
      "c.first_name",
      "c.last_name",
      "c.phone",
      "c.email",
      "c.accepts_sms",
      "c.accepts_email",
      "g.name as group_name",
      "l.name as location_name",
      "cp.message as campaign_message",
      "a.message as automation_message",
    ])
    .where("n.id", "=", id)
    .where("n.lease_owner", "=", owner)
    .where("n.status", "=", "Pending")
    .executeTakeFirst();
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadMessage>>>;

/** Why a message must not go out now, or where it goes. */
function decide(m: Loaded, config: NotificationConfig, now: number): { reason: string } | { recipient: string } {
  const channel: NotificationChannel = m.channel;
  if (channel === "SMS") {
    if (m.accepts_sms !== 1) return { reason: "consent withdrawn" };
    if (!m.phone) return { reason: "no phone" };
  }
  if (channel === "Email") {
    if (m.accepts_email !== 1) return { reason: "consent withdrawn" };
    if (!m.email) return { reason: "no email" };
  }
  if (m.redeemed_at !== null) return { reason: "offer redeemed" };
  if (now >= m.expires_at) return { reason: "offer expired" };
  if (channel === "SMS") return config.sms ? { recipient: m.phone! } : { reason: NO_TRANSPORT };
  if (channel === "Email") return config.email ? { recipient: m.email! } : { reason: NO_TRANSPORT };
  return config.app ? { recipient: config.app.url } : { reason: NO_TRANSPORT };
}

function outgoing(m: Loaded, recipient: string, config: NotificationConfig, now: number): OutgoingMessage {
  const locationName = m.location_name ?? m.group_name;
  const token = unsubscribeToken(m.customer_pk);
  return {
    notificationId: m.notification_id,
    recipient,
    firstName: m.first_name,
    lastName: m.last_name,
    customerId: m.customer_id,
    groupName: m.group_name,
    locationName,
    offer: serializeOffer(m, now),
    rendered: renderOffer({
      message: m.campaign_message ?? m.automation_message,
      templateName: m.template_name,
      facts: {
        firstName: m.first_name,
        amountOffE4: m.amount_off_e4,
        minimumPurchaseE4: m.minimum_purchase_e4,
        code: m.code,
        expiresAt: m.expires_at,
        locationName,
      },
    }),
    unsubscribe: {
      pageUrl: `${config.publicUrl}/unsubscribe?token=${token}`,
      oneClickUrl: `${config.publicUrl}/api/unsubscribe?token=${token}`,
    },
  };
}

export function startNotificationWorker(handle: DatabaseHandle, options: NotificationWorkerOptions = {}): NotificationWorker {
  const pollMs = options.pollMs ?? 1000;
  const batchSize = options.batchSize ?? 20;
  const concurrency = options.concurrency ?? 4;
  const leaseMs = options.leaseMs ?? 120_000;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const configOf = options.config ?? (() => notificationConfig());
  const owner = randomUUID();
  let channels: { config: NotificationConfig; byName: Partial<Record<NotificationChannel, Channel>> } | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  function channelsFor(config: NotificationConfig): Partial<Record<NotificationChannel, Channel>> {
    if (channels?.config !== config) {
      closeChannels();
      channels = {
        config,
        byName: {
          ...(config.email ? { Email: createEmailChannel(config.email) } : {}),
          ...(config.sms ? { SMS: createSmsChannel(config.sms) } : {}),
          ...(config.app ? { App: createAppChannel(config.app) } : {}),
        },
      };
    }
    return channels.byName;
  }

  function closeChannels(): void {
    for (const channel of Object.values(channels?.byName ?? {})) channel.close();
    channels = null;
  }

  /** The outcome and its attempt (if one was made), in one transaction, only while the lease is ours. */
  async function record(id: number, outcome: Outcome, attempt?: Omit<Insertable<NotificationAttemptTable>, "notification_id">) {
    await handle.db.transaction().execute(async (trx) => {
      if (attempt) await trx.insertInto("notification_attempts").values({ ...attempt, notification_id: id }).execute();
      await trx
        .updateTable("notifications")
        .set({ ...outcome, lease_until: null, lease_owner: null })
        .where("id", "=", id)
        .where("lease_owner", "=", owner)
        .execute();
    });
  }

  async function deliver(id: number, config: NotificationConfig): Promise<void> {
    const m = await loadMessage(handle, id, owner);
    if (!m) return;
    const now = Date.now();
    const decision = decide(m, config, now);
    if ("reason" in decision) {
      await record(id, { status: "NotSent", reason: decision.reason, next_attempt_at: null });
      return;
    }
    const channel = channelsFor(config)[m.channel]!;
    const message = outgoing(m, decision.recipient, config, now);
    const started = Date.now();
    let result: DeliveryOutcome;
    try {
      result = await channel.send(message);
    } catch (error) {
      result = { ok: false, permanent: false, error: errorText(error) };
    }
    const finished = Date.now();
    const attemptNo = m.attempts + 1;
    const recipient = m.channel === "App" ? new URL(decision.recipient).host : decision.recipient;
    const base = { attempts: attemptNo, last_attempt_at: started, recipient };
    const attempt = { attempt_no: attemptNo, attempted_at: started, duration_ms: finished - started };
    if (result.ok) {
      await record(
        id,
        { ...base, status: "Sent", reason: null, sent_at: finished, next_attempt_at: null, provider_id: result.providerId, last_error: null },
        { ...attempt, outcome: "Sent", error: null, provider_id: result.providerId },
      );
    } else if (result.permanent || attemptNo >= retry.maxAttempts) {
      const reason = result.permanent ? "refused" : `gave up after ${attemptNo} attempts`;
      await record(
        id,
        { ...base, status: "Failed", reason, next_attempt_at: null, last_error: result.error },
        { ...attempt, outcome: "Failed", error: result.error, provider_id: null },
      );
    } else {
      await record(
        id,
        { ...base, last_error: result.error, next_attempt_at: finished + retryDelay(attemptNo, retry) },
        { ...attempt, outcome: "Retry", error: result.error, provider_id: null },
      );
    }
  }

  async function runOnce(): Promise<void> {
    while (!stopped) {
      // A turn of the event loop first: embedded SQLite answers synchronously.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const config = configOf();
      const ids = await claim(handle, owner, batchSize, leaseMs);
      if (ids.length === 0) return;
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(concurrency, ids.length) }, async () => {
          while (!stopped && next < ids.length) {
            const id = ids[next++];
            try {
              await deliver(id, config);
            } catch (error) {
              // The row keeps its lease and is taken up again when the lease runs out.
              console.error(`[engage] notification ${id}:`, error);
            }
          }
        }),
      );
    }
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runOnce()
      .catch((error: unknown) => console.error("[engage] notification worker:", error))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  const timer = setInterval(kick, pollMs);
  timer.unref();
  kick();

  return {
    kick,
    async drain() {
      kick();
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running) await running;
      // Claimed but not begun: free them for another instance now, not when the lease runs out.
      await handle.db
        .updateTable("notifications")
        .set({ lease_until: null, lease_owner: null })
        .where("lease_owner", "=", owner)
        .where("status", "=", "Pending")
        .execute();
      closeChannels();
    },
  };
}
