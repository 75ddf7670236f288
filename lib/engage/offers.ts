// Offers (ENGAGE_API.md §5): issued by campaigns and automations, looked up by code or id,
// redeemed by receipts. Status follows from the row and the clock at read time, never stale.
import "server-only";
import { randomInt } from "node:crypto";
import type { Insertable } from "kysely";
import type { OfferRow, OfferTable } from "../db/schema";
import { iso, type EngageContext } from "./context";
import { notFound } from "./errors";
import { queueNotifications } from "./notifications/outbox";
import { fromE4 } from "./schemas/fields";

export type OfferStatus = "Active" | "Redeemed" | "Expired";

export interface Offer {
  OfferID: number;
  Code: string;
  CustomerID: number;
  CampaignID: number | null;
  TemplateName: string;
  AmountOff: number;
  MinimumPurchase: number;
  IsLocationSpecific: boolean;
  LocationID: number | null;
  CreatedAt: string;
  ExpiresAt: string;
  Status: OfferStatus;
  RedeemedAt: string | null;
  RedeemedReceiptID: string | null;
  RedeemedLocationID: number | null;
}

export function offerStatus(row: Pick<OfferRow, "redeemed_at" | "expires_at">, now: number): OfferStatus {
  if (row.redeemed_at !== null) return "Redeemed";
  return now >= row.expires_at ? "Expired" : "Active";
}

export function serializeOffer(row: OfferRow, now: number): Offer {
  return {
    OfferID: row.id,
    Code: row.code,
    CustomerID: row.customer_id,
    CampaignID: row.campaign_id,
    TemplateName: row.template_name,
    AmountOff: fromE4(row.amount_off_e4),
    MinimumPurchase: fromE4(row.minimum_purchase_e4),
    IsLocationSpecific: row.is_location_specific === 1,
    LocationID: row.location_id,
    CreatedAt: iso(row.created_at)!,
    ExpiresAt: iso(row.expires_at)!,
    Status: offerStatus(row, now),
    RedeemedAt: iso(row.redeemed_at),
    RedeemedReceiptID: row.redeemed_receipt_id,
    RedeemedLocationID: row.redeemed_location_id,
  };
}

/** Eight characters without look-alikes (no I, L, O, U, 0, 1): read aloud and typed at a till. */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ";

export function generateOfferCode(): string {
  let code = "";
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export type OfferDraft = Omit<Insertable<OfferTable>, "code">;

const INSERT_BATCH = 500;

/**
 * Issues offers, at most one per trigger_key: a draft whose trigger already has an offer is
 * left out of the result. A random code that happens to be taken is drawn again.
 */
export async function issueOffers(ctx: EngageContext, drafts: OfferDraft[]): Promise<OfferRow[]> {
  const issued: OfferRow[] = [];
  let pending = drafts;
  for (let attempt = 0; pending.length > 0 && attempt < 5; attempt++) {
    const retry: OfferDraft[] = [];
    for (let i = 0; i < pending.length; i += INSERT_BATCH) {
      const batch = pending.slice(i, i + INSERT_BATCH);
      const rows = await ctx.db
        .insertInto("offers")
        .values(batch.map((d) => ({ ...d, code: generateOfferCode() })))
        .onConflict((oc) => oc.doNothing())
        .returningAll()
        .execute();
      issued.push(...rows);
      if (rows.length < batch.length) {
        // Either the trigger already has its offer (done) or the code was taken (draw again).
        const done = new Set(rows.map((r) => r.trigger_key));
        const missing = batch.filter((d) => !done.has(d.trigger_key));
        const existing = await ctx.db
          .selectFrom("offers")
          .select("trigger_key")
          .where(
            "trigger_key",
            "in",
            missing.map((d) => d.trigger_key),
          )
          .execute();
        const taken = new Set(existing.map((r) => r.trigger_key));
        retry.push(...missing.filter((d) => !taken.has(d.trigger_key)));
      }
    }
    pending = retry;
  }
  if (pending.length > 0) throw new Error("could not draw free offer codes");
  // Their notifications (ENGAGE_API.md §8), in this same transaction: no offer without them.
  await queueNotifications(ctx, issued);
  return issued;
}

export async function getOffer({ ctx, offerId }: { ctx: EngageContext; offerId: number }): Promise<Offer> {
  const row = await ctx.db
    .selectFrom("offers")
    .selectAll()
    .where("group_id", "=", ctx.scope.groupId)
    .where("id", "=", offerId)
    .executeTakeFirst();
  if (!row) throw notFound(`Offer ${offerId}`);
  return serializeOffer(row, ctx.now());
}

export async function findOfferByCode(ctx: EngageContext, code: string): Promise<OfferRow | undefined> {
  return ctx.db
    .selectFrom("offers")
    .selectAll()
    .where("code", "=", code.trim().toUpperCase())
    .where("group_id", "=", ctx.scope.groupId)
    .executeTakeFirst();
}

export async function getOfferByCode({ ctx, code }: { ctx: EngageContext; code: string }): Promise<Offer> {
  const row = await findOfferByCode(ctx, code);
  if (!row) throw notFound(`Offer with code ${code}`);
  return serializeOffer(row, ctx.now());
}

/** The customer's offers the key may see: a location key sees group-wide ones and its own location's. */
export async function listCustomerOffers({
  ctx,
  customerPk,
  status,
}: {
  ctx: EngageContext;
  customerPk: number;
  status?: "active" | "redeemed" | "expired";
}): Promise<Offer[]> {
  const now = ctx.now();
  let q = ctx.db.selectFrom("offers").selectAll().where("customer_pk", "=", customerPk);
  const locationId = ctx.scope.locationId;
  if (locationId !== null) {
    q = q.where((eb) => eb.or([eb("is_location_specific", "=", 0), eb("location_id", "=", locationId)]));
  }
  if (status === "redeemed") q = q.where("redeemed_at", "is not", null);
  if (status === "active") q = q.where("redeemed_at", "is", null).where("expires_at", ">", now);
  if (status === "expired") q = q.where("redeemed_at", "is", null).where("expires_at", "<=", now);
  const rows = await q.orderBy("created_at", "desc").orderBy("id", "desc").limit(1000).execute();
  return rows.map((r) => serializeOffer(r, now));
}
