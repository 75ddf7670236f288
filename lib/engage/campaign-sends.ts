// Deciding a campaign send: for each listed customer, an offer or a skip with its reason.
// The send worker runs in the app process; it claims a send with a lease (several app
// instances on one PostgreSQL share the work), decides its Pending items in batches, and
// resumes after a restart, since only decided items leave Pending. One offer per campaign
// and customer is enforced by the offers' unique trigger_key, not by a check alone.
import "server-only";
import type { DatabaseHandle } from "../db";
import type { CampaignRow } from "../db/schema";
import type { EngageContext } from "./context";
import { issueOffers, type OfferDraft } from "./offers";
import type { SkipReason } from "./schemas/campaign";

const DAY = 86_400_000;
const IN_LIST = 1000;
const BATCH = 2000;
const LEASE_MS = 60_000;

export interface Decision {
  customerId: number;
  customerPk: number | null;
  reason: SkipReason | null;
}

export const campaignTrigger = (campaignId: number, customerPk: number) => `campaign:${campaignId}:customer:${customerPk}`;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The eligibility rules of ENGAGE_API.md §6, for a list of distinct CustomerIDs. */
export async function decide(ctx: EngageContext, campaign: CampaignRow, customerIds: number[]): Promise<Decision[]> {
  const decisions: Decision[] = [];
  for (const ids of chunks(customerIds, IN_LIST)) {
    const customers = await ctx.db
      .selectFrom("customers")
      .select(["id", "customer_id"])
      .where("group_id", "=", campaign.group_id)
      .where("customer_id", "in", ids)
      .where("erased_at", "is", null)
      .execute();
    const pkOf = new Map(customers.map((c) => [c.customer_id, c.id]));
    const pks = customers.map((c) => c.id);
    const purchased = new Set<number>();
    const offered = new Set<number>();
    if (pks.length > 0) {
      if (campaign.is_location_specific === 1 && campaign.location_id !== null) {
        const rows = await ctx.db
          .selectFrom("receipts")
          .select("customer_pk")
          .distinct()
          .where("location_id", "=", campaign.location_id)
          .where("customer_pk", "in", pks)
          .where("voided_at", "is", null)
          .execute();
        for (const r of rows) purchased.add(r.customer_pk);
      }
      const rows = await ctx.db
        .selectFrom("offers")
        .select("customer_pk")
        .where("campaign_id", "=", campaign.id)
        .where("customer_pk", "in", pks)
        .execute();
      for (const r of rows) offered.add(r.customer_pk);
    }
    for (const customerId of ids) {
      const pk = pkOf.get(customerId) ?? null;
      let reason: SkipReason | null = null;
      if (pk === null) reason = "NotRegistered";
      else if (campaign.is_location_specific === 1 && !purchased.has(pk)) reason = "NoPurchaseAtLocation";
      else if (offered.has(pk)) reason = "AlreadyOffered";
      decisions.push({ customerId, customerPk: pk, reason });
    }
  }
  return decisions;
}

/**
 * Decides one batch of a send's Pending items in one transaction: the next BATCH, or those with
 * ids in `range`. False when none were left (without a range, the send is then complete).
 */
async function decideBatch(handle: DatabaseHandle, sendId: number, range?: [number, number]): Promise<boolean> {
  return handle.db.transaction().execute(async (trx) => {
    const send = await trx.selectFrom("campaign_sends").selectAll().where("id", "=", sendId).executeTakeFirstOrThrow();
    const campaign = await trx.selectFrom("campaigns").selectAll().where("id", "=", send.campaign_id).executeTakeFirstOrThrow();
    let pending = trx
      .selectFrom("campaign_send_items")
      .select(["id", "customer_id"])
      .where("send_id", "=", sendId)
      .where("status", "=", "Pending");
    if (range) pending = pending.where("id", ">=", range[0]).where("id", "<=", range[1]);
    const items = await pending.orderBy("id").limit(BATCH).execute();
    const now = Date.now();
    if (items.length === 0) {
      if (range) return false;
      await trx.updateTable("campaign_sends").set({ completed_at: now, lease_until: null }).where("id", "=", sendId).execute();
      return false;
    }
    const ctx: EngageContext = {
      db: trx,
      dialect: handle.dialect,
      scope: { groupId: send.group_id, locationId: campaign.location_id, keyId: send.key_id },
      actor: { type: "system", id: null, label: "campaign send" },
      now: () => now,
    };
    const decisions = await decide(ctx, campaign, items.map((i) => i.customer_id));
    const drafts: OfferDraft[] = [];
    for (const d of decisions) {
      if (d.reason !== null || d.customerPk === null) continue;
      drafts.push({
        group_id: campaign.group_id,
        campaign_id: campaign.id,
        customer_pk: d.customerPk,
        customer_id: d.customerId,
        template_name: campaign.template_name,
        amount_off_e4: campaign.amount_off_e4,
        minimum_purchase_e4: campaign.minimum_purchase_e4,
        is_location_specific: campaign.is_location_specific,
        location_id: campaign.location_id,
        created_at: now,
        expires_at: now + campaign.days_till_expiration * DAY,
        redeemed_at: null,
        redeemed_receipt_id: null,
        redeemed_location_id: null,
        trigger_key: campaignTrigger(campaign.id, d.customerPk),
      });
    }
    // One order for every transaction: two workers issuing offers of one campaign to the same
    // customers (two sends listing them in different orders) wait on each other, never deadlock.
    drafts.sort((x, y) => x.customer_pk - y.customer_pk);
    const issued = await issueOffers(ctx, drafts);
    const offerOf = new Map(issued.map((o) => [o.customer_id, o.id]));
    const itemOf = new Map(items.map((i) => [i.customer_id, i.id]));
    const skipped = new Map<SkipReason, number[]>();
    const offered: number[] = [];
    for (const d of decisions) {
      const itemId = itemOf.get(d.customerId)!;
      // An eligible customer whose offer a concurrent send issued first is AlreadyOffered.
      const reason = d.reason ?? (offerOf.has(d.customerId) ? null : "AlreadyOffered");
      if (reason === null) {
        offered.push(itemId);
      } else {
        const list = skipped.get(reason) ?? [];
        list.push(itemId);
        skipped.set(reason, list);
      }
    }
    // One statement per thousand items, each finding its offer by (campaign, customer).
    for (const part of chunks(offered, IN_LIST)) {
      await trx
        .updateTable("campaign_send_items")
        .set((eb) => ({
          status: "Offered",
          decided_at: now,
          offer_id: eb
            .selectFrom("offers")
            .select("offers.id")
            .whereRef("offers.campaign_id", "=", "campaign_send_items.campaign_id")
            .whereRef("offers.customer_id", "=", "campaign_send_items.customer_id"),
        }))
        .where("id", "in", part)
        .execute();
    }
    for (const [reason, ids] of skipped) {
      for (const part of chunks(ids, IN_LIST)) {
        await trx
          .updateTable("campaign_send_items")
          .set({ status: "Skipped", reason, decided_at: now })
          .where("id", "in", part)
          .execute();
      }
    }
    await trx.updateTable("campaign_sends").set({ lease_until: Date.now() + LEASE_MS }).where("id", "=", sendId).execute();
    // Their notifications (ENGAGE_API.md §8) were queued by issueOffers, in this same transaction.
    return true;
  });
}

/** Gives a claim up, so another worker resumes the send now rather than when the lease runs out. */
async function releaseSend(handle: DatabaseHandle, sendId: number): Promise<void> {
  await handle.db
    .updateTable("campaign_sends")
    .set({ lease_until: null })
    .where("id", "=", sendId)
    .where("completed_at", "is", null)
    .execute();
}

/** Claims an unfinished send whose lease is free; null when there is none. */
async function claimSend(handle: DatabaseHandle): Promise<number | null> {
  const now = Date.now();
  const candidates = await handle.db
    .selectFrom("campaign_sends")
    .select("id")
    .where("completed_at", "is", null)
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
    .orderBy("id")
    .limit(10)
    .execute();
  for (const { id } of candidates) {
    const claimed = await handle.db
      .updateTable("campaign_sends")
      .set({ lease_until: now + LEASE_MS })
      .where("id", "=", id)
      .where("completed_at", "is", null)
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 1) return id;
  }
  return null;
}

export interface SendWorker {
  /** Look for work now (after a send was accepted) rather than at the next poll. */
  kick(): void;
  /** Resolves when no send is left undecided (for tests and the CLI). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/** Batches decided at once: one on SQLite (one writer), two on PostgreSQL (its work overlaps ours). */
const CONCURRENCY = { sqlite: 1, postgres: 2 } as const;

export function startSendWorker(handle: DatabaseHandle, { pollMs = 1000 } = {}): SendWorker {
  const concurrency = CONCURRENCY[handle.dialect];
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  async function runOnce(): Promise<void> {
    for (;;) {
      const sendId = await claimSend(handle);
      if (sendId === null) return;
      while (!stopped) {
        // A turn of the event loop before each batch: embedded SQLite answers synchronously, so
        // without it a send would hold every other request (its own 204 too) until fully decided.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (stopped) break;
        if (concurrency > 1) {
          // PostgreSQL: the next batches side by side, each on its own connection and its own
          // items (a send lists each customer once, so they share no offer and no item).
          const ids = await handle.db
            .selectFrom("campaign_send_items")
            .select("id")
            .where("send_id", "=", sendId)
            .where("status", "=", "Pending")
            .orderBy("id")
            .limit(BATCH * concurrency)
            .execute();
          if (ids.length > 0) {
            const ranges = chunks(ids, BATCH).map((part): [number, number] => [part[0].id, part[part.length - 1].id]);
            await Promise.all(ranges.map((range) => decideBatch(handle, sendId, range)));
            continue;
          }
        }
        if (!(await decideBatch(handle, sendId))) break;
      }
      if (stopped) {
        await releaseSend(handle, sendId);
        return;
      }
    }
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runOnce()
      .catch((error: unknown) => console.error("[engage] campaign send worker:", error))
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
    },
  };
}
