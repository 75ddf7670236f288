// Manual campaigns (ENGAGE_API.md §6): created by a location (its key) or the holding
// business (the group key), then sent to a list of CustomerIDs. A send is stored, with one
// Pending item per customer, in the transaction that answers 204; the send worker then
// decides each customer (campaign-sends.ts).
import "server-only";
import type { CampaignRow } from "../db/schema";
import { inTransaction, iso, type EngageContext } from "./context";
import { forbidden, notFound } from "./errors";
import type { CampaignInput, SkipReason } from "./schemas/campaign";
import { fromE4, toE4 } from "./schemas/fields";
import { DEFAULT_PAGE_SIZE } from "./schemas/query";
import { decide } from "./campaign-sends";

export interface Campaign {
  CampaignID: number;
  TemplateName: string;
  AmountOff: number;
  MinimumPurchase: number;
  DaysTillExpiration: number;
  IsLocationSpecific: boolean;
  Name: string | null;
  Message: string | null;
  LocationID: number | null;
  CreatedAt: string;
}

export interface CampaignStats {
  OffersIssued: number;
  OffersRedeemed: number;
  RedemptionRate: number;
  RedeemedRevenue: number;
  Pending: number;
  Skipped: Record<SkipReason, number>;
}

export function serializeCampaign(row: CampaignRow): Campaign {
  return {
    CampaignID: row.id,
    TemplateName: row.template_name,
    AmountOff: fromE4(row.amount_off_e4),
    MinimumPurchase: fromE4(row.minimum_purchase_e4),
    DaysTillExpiration: row.days_till_expiration,
    IsLocationSpecific: row.is_location_specific === 1,
    Name: row.name,
    Message: row.message,
    LocationID: row.location_id,
    CreatedAt: iso(row.created_at)!,
  };
}

export async function createCampaign({
  ctx,
  input,
  level,
}: {
  ctx: EngageContext;
  input: CampaignInput;
  level: "location" | "group";
}): Promise<Campaign> {
  if (level === "location" && ctx.scope.locationId === null) {
    throw forbidden("A location campaign is created with that location's key; a group key creates group campaigns.");
  }
  if (level === "group" && ctx.scope.locationId !== null) {
    throw forbidden("Only the holding business (a group key) may create group campaigns.");
  }
  const row = await ctx.db
    .insertInto("campaigns")
    .values({
      group_id: ctx.scope.groupId,
      location_id: ctx.scope.locationId,
      template_name: "manual",
      is_location_specific: level === "location" ? 1 : 0,
      amount_off_e4: toE4(input.AmountOff)!,
      minimum_purchase_e4: toE4(input.MinimumPurchase ?? 0)!,
      days_till_expiration: input.DaysTillExpiration,
      name: input.Name ?? null,
      message: input.Message ?? null,
      created_at: ctx.now(),
      created_by_key_id: ctx.scope.keyId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return serializeCampaign(row);
}

/** A campaign the key may see: group campaigns, and a location key's own location's. */
export async function requireVisibleCampaign(ctx: EngageContext, campaignId: number): Promise<CampaignRow> {
  let q = ctx.db
    .selectFrom("campaigns")
    .selectAll()
    .where("id", "=", campaignId)
    .where("group_id", "=", ctx.scope.groupId);
  const locationId = ctx.scope.locationId;
  if (locationId !== null) {
    q = q.where((eb) => eb.or([eb("location_id", "is", null), eb("location_id", "=", locationId)]));
  }
  const row = await q.executeTakeFirst();
  if (!row) throw notFound(`Campaign ${campaignId}`);
  return row;
}

/** [extension] Which campaigns a list shows: group campaigns only, or one location's. */
export interface CampaignListFilter {
  Scope?: "Group" | "Location";
  LocationID?: number;
}

export async function listCampaigns({
  ctx,
  page = 1,
  pageSize = DEFAULT_PAGE_SIZE,
  filter = {},
}: {
  ctx: EngageContext;
  page?: number;
  pageSize?: number;
  filter?: CampaignListFilter;
}) {
  let q = ctx.db.selectFrom("campaigns").where("group_id", "=", ctx.scope.groupId);
  const locationId = ctx.scope.locationId;
  if (locationId !== null) {
    q = q.where((eb) => eb.or([eb("location_id", "is", null), eb("location_id", "=", locationId)]));
    if (filter.LocationID !== undefined && filter.LocationID !== locationId) {
      throw forbidden("A location key lists its own location's campaigns only.");
    }
  }
  if (filter.Scope === "Group") q = q.where("location_id", "is", null);
  if (filter.Scope === "Location") q = q.where("location_id", "is not", null);
  if (filter.LocationID !== undefined) q = q.where("location_id", "=", filter.LocationID);
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    q
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
  ]);
  const stats = await campaignStats(ctx, rows.map((r) => r.id));
  const items = rows.map((row) => ({ ...serializeCampaign(row), Stats: stats.get(row.id)! }));
  return { items, total: Number(count.n), page, pageSize };
}

/** Decisions by customer: an offer wins; otherwise the customer's latest send item. */
function latestOutcomes(ctx: EngageContext, campaignId: number) {
  return ctx.db
    .selectFrom("campaign_send_items as i")
    .where("i.campaign_id", "=", campaignId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("campaign_send_items as later")
            .select("later.id")
            .whereRef("later.campaign_id", "=", "i.campaign_id")
            .whereRef("later.customer_id", "=", "i.customer_id")
            .whereRef("later.id", ">", "i.id"),
        ),
      ),
    );
}

/** Each campaign's statistics, in three grouped queries whatever the number of campaigns. */
async function campaignStats(ctx: EngageContext, campaignIds: number[]): Promise<Map<number, CampaignStats>> {
  const stats = new Map<number, CampaignStats>();
  if (campaignIds.length === 0) return stats;
  // Pending first: deciding only moves items out of Pending and adds offers and skips, so the
  // counts read after it include every decision it does not count as pending (read together,
  // a send's last batch could count as decided while its offers did not count yet).
  const pending = await ctx.db
    .selectFrom("campaign_send_items")
    .where("campaign_id", "in", campaignIds)
    .where("status", "=", "Pending")
    .select((eb) => ["campaign_id", eb.fn.countAll<number>().as("n")])
    .groupBy("campaign_id")
    .execute();
  const [offers, skipped] = await Promise.all([
    ctx.db
      .selectFrom("offers as o")
      .leftJoin("receipts as r", "r.id", "o.redeemed_receipt_id")
      .where("o.campaign_id", "in", campaignIds)
      .select((eb) => [
        "o.campaign_id",
        eb.fn.countAll<number>().as("issued"),
        eb.fn.count<number>("o.redeemed_at").as("redeemed"),
        eb.fn.coalesce(eb.fn.sum<number>("r.total_e4"), eb.val(0)).as("revenue"),
      ])
      .groupBy("o.campaign_id")
      .execute(),
    ctx.db
      .selectFrom("campaign_send_items")
      .where("campaign_id", "in", campaignIds)
      .where("status", "=", "Skipped")
      .select((eb) => ["campaign_id", "reason", eb.fn.countAll<number>().as("n")])
      .groupBy(["campaign_id", "reason"])
      .execute(),
  ]);
  for (const id of campaignIds) {
    stats.set(id, {
      OffersIssued: 0,
      OffersRedeemed: 0,
      RedemptionRate: 0,
      RedeemedRevenue: 0,
      Pending: 0,
      Skipped: { NotRegistered: 0, NoPurchaseAtLocation: 0, AlreadyOffered: 0 },
    });
  }
  for (const o of offers) {
    const s = stats.get(Number(o.campaign_id))!;
    const issued = Number(o.issued);
    const redeemed = Number(o.redeemed);
    s.OffersIssued = issued;
    s.OffersRedeemed = redeemed;
    s.RedemptionRate = issued === 0 ? 0 : Math.round((redeemed / issued) * 10_000) / 10_000;
    s.RedeemedRevenue = fromE4(Number(o.revenue));
  }
  for (const p of pending) stats.get(Number(p.campaign_id))!.Pending = Number(p.n);
  for (const k of skipped) stats.get(Number(k.campaign_id))!.Skipped[k.reason as SkipReason] = Number(k.n);
  return stats;
}

export async function getCampaign({ ctx, campaignId }: { ctx: EngageContext; campaignId: number }) {
  const row = await requireVisibleCampaign(ctx, campaignId);
  const stats = await campaignStats(ctx, [row.id]);
  return { ...serializeCampaign(row), Stats: stats.get(row.id)! };
}

export interface CampaignRecipient {
  CustomerID: number;
  Status: "Offered" | "Skipped" | "Pending";
  Reason: SkipReason | null;
  OfferID: number | null;
}

export async function listCampaignRecipients({
  ctx,
  campaignId,
  page = 1,
  pageSize = DEFAULT_PAGE_SIZE,
}: {
  ctx: EngageContext;
  campaignId: number;
  page?: number;
  pageSize?: number;
}) {
  await requireVisibleCampaign(ctx, campaignId);
  // A customer who holds an offer is Offered, whatever later sends said (AlreadyOffered).
  const outcomes = latestOutcomes(ctx, campaignId).leftJoin("offers as o", (join) =>
    join.onRef("o.campaign_id", "=", "i.campaign_id").onRef("o.customer_id", "=", "i.customer_id"),
  );
  const [count, rows] = await Promise.all([
    outcomes.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    outcomes
      .select(["i.customer_id", "i.status", "i.reason", "o.id as offer_id"])
      .orderBy("i.customer_id")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
  ]);
  const items: CampaignRecipient[] = rows.map((r) =>
    r.offer_id !== null
      ? { CustomerID: r.customer_id, Status: "Offered", Reason: null, OfferID: r.offer_id }
      : { CustomerID: r.customer_id, Status: r.status, Reason: r.reason as SkipReason | null, OfferID: null },
  );
  return { items, total: Number(count.n), page, pageSize };
}

/** A location campaign is sent with its location's key or the group key; a group campaign with the group key. */
function assertMaySend(ctx: EngageContext, campaign: CampaignRow): void {
  if (campaign.location_id === null && ctx.scope.locationId !== null) {
    throw forbidden("Only the holding business (a group key) may send a group campaign.");
  }
}

export async function sendCampaign({
  ctx,
  campaignId,
  customerIds,
}: {
  ctx: EngageContext;
  campaignId: number;
  customerIds: number[];
}): Promise<{ sendId: number | null }> {
  return inTransaction(ctx, async (tx) => {
    const campaign = await requireVisibleCampaign(tx, campaignId);
    assertMaySend(tx, campaign);
    const unique = [...new Set(customerIds)];
    if (unique.length === 0) return { sendId: null };
    const send = await tx.db
      .insertInto("campaign_sends")
      .values({
        group_id: tx.scope.groupId,
        campaign_id: campaign.id,
        key_id: tx.scope.keyId,
        created_at: tx.now(),
        item_count: unique.length,
        completed_at: null,
        lease_until: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (let i = 0; i < unique.length; i += 1000) {
      await tx.db
        .insertInto("campaign_send_items")
        .values(
          unique.slice(i, i + 1000).map((customerId) => ({
            send_id: send.id,
            campaign_id: campaign.id,
            customer_id: customerId,
            status: "Pending" as const,
            reason: null,
            offer_id: null,
            decided_at: null,
          })),
        )
        .execute();
    }
    return { sendId: send.id };
  });
}

/** Who would get an offer and who would be skipped, and why; creates nothing. */
export async function previewCampaign({
  ctx,
  campaignId,
  customerIds,
}: {
  ctx: EngageContext;
  campaignId: number;
  customerIds: number[];
}) {
  const campaign = await requireVisibleCampaign(ctx, campaignId);
  assertMaySend(ctx, campaign);
  const unique = [...new Set(customerIds)];
  const decisions = await decide(ctx, campaign, unique);
  const skipped: Record<SkipReason, number> = { NotRegistered: 0, NoPurchaseAtLocation: 0, AlreadyOffered: 0 };
  let eligible = 0;
  for (const d of decisions) {
    if (d.reason === null) eligible++;
    else skipped[d.reason]++;
  }
  return { CampaignID: campaign.id, Requested: unique.length, WouldOffer: eligible, Skipped: skipped };
}
