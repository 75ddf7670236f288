// Per-key rate limits (ENGAGE_API.md §9): at most q requests per key in each fixed window of
// w seconds, `429` with `Retry-After` past it, and the IETF draft's `RateLimit-Policy` /
// `RateLimit` headers on every answer to a known key.
//
// SQLite serves from one process per file, so its counts live in that process's memory: a Map
// look-up per request and no database write. Instances on one PostgreSQL share each key's count
// in one row of engage_rate_limits. An instance reserves quota in blocks (1, 2, 4, … requests,
// up to q/50) with one upsert and serves from the block locally, so a busy key costs a round trip
// every few dozen requests. The instances together never serve more than q in a window; quota
// reserved but unused when the window ends is lost, so a key shared by n instances may be
// refused up to n × q/50 requests early.
import "server-only";
import { sql } from "kysely";
import type { DatabaseHandle } from "../../db";

export interface RateLimitPolicy {
  /** The name in the headers: "default" for ENGAGE_RATE_LIMIT's, "key" for a key's own. */
  name: string;
  quota: number;
  windowSeconds: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  policy: RateLimitPolicy;
  /** Requests left in this window (an estimate across PostgreSQL instances). */
  remaining: number;
  /** Seconds until the window ends and the quota is whole again (at least 1). */
  resetSeconds: number;
}

export interface RateLimiter {
  /** Counts one request of the key: null when the key has no limit. Synchronous in memory. */
  take(keyId: number, override?: string | null): RateLimitDecision | null | Promise<RateLimitDecision | null>;
}

export const DEFAULT_RATE_LIMIT = "600/60s";

const UNITS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600 };

/**
 * "600/60s", "600/1m", "10000/1h", "600/60" (seconds); "off" for no limit. A malformed value
 * throws with a message naming the accepted forms.
 */
export function parseRateLimit(text: string, name = "default"): RateLimitPolicy | null {
  const value = text.trim().toLowerCase();
  if (value === "off" || value === "none") return null;
  const m = /^(\d{1,9})\s*\/\s*(\d{1,7})\s*(s|m|h|)$/.exec(value);
  const quota = m ? Number(m[1]) : 0;
  const windowSeconds = m ? Number(m[2]) * UNITS[m[3]] : 0;
  if (!m || quota < 1 || windowSeconds < 1) {
    throw new Error(`a rate limit is REQUESTS/WINDOW such as "600/60s", "600/1m" or "10000/1h", or "off"; not "${text.slice(0, 40)}"`);
  }
  return { name, quota, windowSeconds };
}

/** ENGAGE_RATE_LIMIT, checked once at start-up. */
export function rateLimitFromEnv(env: Record<string, string | undefined> = process.env): RateLimitPolicy | null {
  try {
    return parseRateLimit(env.ENGAGE_RATE_LIMIT?.trim() || DEFAULT_RATE_LIMIT);
  } catch (error) {
    throw new Error(`ENGAGE_RATE_LIMIT: ${(error as Error).message}`);
  }
}

/** RateLimit-Policy and RateLimit (draft-ietf-httpapi-ratelimit-headers), and Retry-After on a refusal. */
export function rateLimitHeaders(d: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    "ratelimit-policy": `"${d.policy.name}";q=${d.policy.quota};w=${d.policy.windowSeconds}`,
    ratelimit: `"${d.policy.name}";r=${d.remaining};t=${d.resetSeconds}`,
  };
  if (!d.allowed) headers["retry-after"] = String(d.resetSeconds);
  return headers;
}

export interface RateLimiterOptions {
  /** The limit of keys without their own; null for none. */
  policy: RateLimitPolicy | null;
  now?: () => number;
}

/** The limiter for this database: in memory on SQLite, shared through PostgreSQL otherwise. */
export function createRateLimiter(database: DatabaseHandle, options: RateLimiterOptions): RateLimiter {
  return database.dialect === "postgres" ? new SharedRateLimiter(database, options) : new MemoryRateLimiter(options);
}

abstract class PolicyCache {
  readonly #default: RateLimitPolicy | null;
  readonly #overrides = new Map<string, RateLimitPolicy | null>();

  constructor(policy: RateLimitPolicy | null) {
    this.#default = policy;
  }

  /** The key's own limit when it has a valid one, else the default. */
  protected policyFor(override: string | null | undefined): RateLimitPolicy | null {
    if (!override) return this.#default;
    let policy = this.#overrides.get(override);
    if (policy === undefined) {
      try {
        policy = parseRateLimit(override, "key");
      } catch {
        // The CLI refuses malformed limits; one written by hand falls back to the default.
        policy = this.#default;
      }
      if (this.#overrides.size > 1000) this.#overrides.clear();
      this.#overrides.set(override, policy);
    }
    return policy;
  }
}

function windowOf(now: number, policy: RateLimitPolicy): { start: number; end: number } {
  const ms = policy.windowSeconds * 1000;
  const start = now - (now % ms);
  return { start, end: start + ms };
}

const resetSeconds = (end: number, now: number) => Math.max(1, Math.ceil((end - now) / 1000));

interface MemoryWindow {
  start: number;
  end: number;
  used: number;
}

export class MemoryRateLimiter extends PolicyCache implements RateLimiter {
  readonly #windows = new Map<number, MemoryWindow>();
  readonly #now: () => number;
  #nextSweep = 0;

  constructor({ policy, now = Date.now }: RateLimiterOptions) {
    super(policy);
    this.#now = now;
  }

  take(keyId: number, override?: string | null): RateLimitDecision | null {
    const policy = this.policyFor(override);
    if (!policy) return null;
    const now = this.#now();
    let w = this.#windows.get(keyId);
    if (w === undefined || now >= w.end || now < w.start || w.end - w.start !== policy.windowSeconds * 1000) {
      if (now >= this.#nextSweep) this.#sweep(now);
      w = { ...windowOf(now, policy), used: 0 };
      this.#windows.set(keyId, w);
    }
    const allowed = w.used < policy.quota;
    if (allowed) w.used++;
    return { allowed, policy, remaining: policy.quota - w.used, resetSeconds: resetSeconds(w.end, now) };
  }

  /** Forgets keys whose window is over, so the map holds only keys seen lately. */
  #sweep(now: number): void {
    this.#nextSweep = now + 60_000;
    for (const [keyId, w] of this.#windows) if (now >= w.end) this.#windows.delete(keyId);
  }
}

interface SharedWindow {
  start: number;
  end: number;
  /** The quota this window was counted against: a key whose limit changes is judged anew. */
  quota: number;
  /** Requests this instance may still serve from what it reserved. */
  tokens: number;
  /** The next reservation's size. */
  block: number;
  /** The quota of the whole window is spent, by this instance or others. */
  exhausted: boolean;
  /** The shared count's headroom at the last reservation. */
  unreservedLeft: number;
  pending: Promise<void> | null;
}

export class SharedRateLimiter extends PolicyCache implements RateLimiter {
  readonly #database: DatabaseHandle;
  readonly #windows = new Map<number, SharedWindow>();
  readonly #now: () => number;
  #nextSweep = 0;
  /** Round trips to PostgreSQL, for tests and benchmarks. */
  reservations = 0;

  constructor(database: DatabaseHandle, { policy, now = Date.now }: RateLimiterOptions) {
    super(policy);
    this.#database = database;
    this.#now = now;
  }

  take(keyId: number, override?: string | null): RateLimitDecision | null | Promise<RateLimitDecision | null> {
    const policy = this.policyFor(override);
    if (!policy) return null;
    return this.#take(keyId, policy);
  }

  #take(keyId: number, policy: RateLimitPolicy): RateLimitDecision | Promise<RateLimitDecision> {
    const now = this.#now();
    const w = this.#window(keyId, policy, now);
    if (w.tokens > 0) {
      w.tokens--;
      return { allowed: true, policy, remaining: w.tokens + w.unreservedLeft, resetSeconds: resetSeconds(w.end, now) };
    }
    if (w.exhausted) return { allowed: false, policy, remaining: 0, resetSeconds: resetSeconds(w.end, now) };
    // One reservation at a time per key: requests arriving meanwhile wait for it, then try again.
    w.pending ??= this.#reserve(keyId, policy, w).finally(() => {
      w.pending = null;
    });
    return w.pending.then(() => this.#take(keyId, policy));
  }

  #window(keyId: number, policy: RateLimitPolicy, now: number): SharedWindow {
    let w = this.#windows.get(keyId);
    if (w === undefined || now >= w.end || now < w.start || w.end - w.start !== policy.windowSeconds * 1000) {
      if (now >= this.#nextSweep) {
        this.#nextSweep = now + 60_000;
        for (const [id, old] of this.#windows) if (now >= old.end && old.pending === null) this.#windows.delete(id);
      }
      w = { ...windowOf(now, policy), quota: policy.quota, tokens: 0, block: 1, exhausted: false, unreservedLeft: policy.quota, pending: null };
      this.#windows.set(keyId, w);
    } else if (w.quota !== policy.quota) {
      w.quota = policy.quota;
      w.block = 1;
      w.exhausted = false;
    }
    return w;
  }

  async #reserve(keyId: number, policy: RateLimitPolicy, w: SharedWindow): Promise<void> {
    const block = w.block;
    w.block = Math.min(w.block * 2, Math.max(1, Math.floor(policy.quota / 50)));
    this.reservations++;
    // A row from an older window starts over; an instance whose clock is behind adds to the newer one.
    const { rows } = await sql<{ used: number }>`
      insert into engage_rate_limits (key_id, window_start, used) values (${keyId}, ${w.start}, ${block})
      on conflict (key_id) do update set
        used = case when engage_rate_limits.window_start < excluded.window_start then excluded.used
                    else engage_rate_limits.used + excluded.used end,
        window_start = greatest(engage_rate_limits.window_start, excluded.window_start)
      returning used`.execute(this.#database.db);
    const used = Number(rows[0].used);
    const granted = Math.max(0, Math.min(block, policy.quota - (used - block)));
    w.tokens += granted;
    w.unreservedLeft = Math.max(0, policy.quota - used);
    if (used >= policy.quota) w.exhausted = true;
  }
}
