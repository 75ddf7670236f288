// Reports (docs/API-EXTENSIONS.md): how the business is doing over a period of UTC days —
// customers, receipts, repeat visits, offers, per day, per location and per campaign. Receipts
// are summed per group, location and day in the receipt's own transaction (recordReceipt and
// unrecordReceipt, called by receipts.ts), so a report reads a few hundred summary rows however
// many receipts there are; offers issued are counted on an index of the offers.
import "server-only";
import { sql, type ExpressionBuilder, type Kysely } from "kysely";
import { DAY_MS, fillReportSummaries } from "../db/migrations/0005_reports";
import { prepared } from "../db/prepared";
import type { Database, ReceiptRow } from "../db/schema";
import type { EngageContext } from "./context";
import { forbidden, invalidField } from "./errors";
import {
  dayDate,
  dayNumber,
  type ReportCampaign,
  type ReportDaily,
  type ReportDay,
  type ReportFigures,
  type ReportQuery,
  type ReportSummary,
} from "./schemas/report";

/** How many campaigns the summary ranks by redeemed revenue. */
export const TOP_CAMPAIGNS = 10;

const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

interface Sums {
  receipts: number;
  revenue_e4: number;
  new_customers: number;
  repeat_receipts: number;
  offers_redeemed: number;
  redeemed_revenue_e4: number;
}

const ZERO: Sums = { receipts: 0, revenue_e4: 0, new_customers: 0, repeat_receipts: 0, offers_redeemed: 0, redeemed_revenue_e4: 0 };

// ---------------------------------------------------------------------------------------------
// Keeping the summary: called in the receipt's transaction, after the customer's row is updated
// (so, on PostgreSQL, locked: the receipts of that customer read here include every concurrent
// receipt that committed before us, and one that commits after us sees ours).

type ReceiptKey = Pick<ReceiptRow, "id" | "group_id" | "location_id" | "customer_pk" | "created_at" | "total_e4">;

// The receipt's statements, built once (lib/db/prepared.ts).
const earliestOther = prepared((db, p: { customerPk: number; id: string }) =>
  db
    .selectFrom("receipts")
    .select(["id", "location_id", "created_at"])
    .where("customer_pk", "=", p.customerPk)
    .where("voided_at", "is", null)
    .where("id", "!=", p.id)
    .orderBy("created_at")
    .orderBy("id")
    .limit(1),
);

/** Where the receipt stands among the customer's receipts that count (not voided, itself aside). */
async function standing(ctx: EngageContext, receipt: ReceiptKey) {
  // The customer's earliest other receipt: before this one, this is a repeat visit; after it (or
  // none), this is their first visit and that one is (or was) their first otherwise.
  const earliest = await earliestOther.first(ctx.db, { customerPk: receipt.customer_pk, id: receipt.id });
  const earlier =
    earliest !== undefined &&
    (earliest.created_at < receipt.created_at || (earliest.created_at === receipt.created_at && earliest.id < receipt.id));
  if (earlier) return { first: false as const, next: undefined };
  return { first: true as const, next: earliest };
}

/** The offers a receipt holds as redeemed, by campaign. */
const redeemedByReceipt = prepared((db, p: { receiptId: string }) =>
  db
    .selectFrom("offers")
    .where("redeemed_receipt_id", "=", p.receiptId)
    .select((eb) => ["campaign_id", "template_name", eb.fn.countAll<number>().as("n")])
    .groupBy(["campaign_id", "template_name"]),
);

/** How many rows a location's day is spread over on PostgreSQL. */
const REPORT_SHARDS = 16;

const addDaily = prepared((db, p: { group_id: number; location_id: number; day: number; shard: number } & Sums) =>
  db
    .insertInto("report_daily")
    .values({
      group_id: p.group_id,
      location_id: p.location_id,
      day: p.day,
      shard: p.shard,
      receipts: p.receipts,
      revenue_e4: p.revenue_e4,
      new_customers: p.new_customers,
      repeat_receipts: p.repeat_receipts,
      offers_redeemed: p.offers_redeemed,
      redeemed_revenue_e4: p.redeemed_revenue_e4,
    })
    .onConflict((oc) =>
      oc.columns(["group_id", "day", "location_id", "shard"]).doUpdateSet((eb) => ({
        receipts: eb("report_daily.receipts", "+", eb.ref("excluded.receipts")),
        revenue_e4: eb("report_daily.revenue_e4", "+", eb.ref("excluded.revenue_e4")),
        new_customers: eb("report_daily.new_customers", "+", eb.ref("excluded.new_customers")),
        repeat_receipts: eb("report_daily.repeat_receipts", "+", eb.ref("excluded.repeat_receipts")),
        offers_redeemed: eb("report_daily.offers_redeemed", "+", eb.ref("excluded.offers_redeemed")),
        redeemed_revenue_e4: eb("report_daily.redeemed_revenue_e4", "+", eb.ref("excluded.redeemed_revenue_e4")),
      })),
    ),
);

const addCampaignDaily = prepared(
  (
    db,
    p: { group_id: number; location_id: number; day: number; campaign_id: number; template_name: string; offers_redeemed: number; redeemed_revenue_e4: number },
  ) =>
    db
      .insertInto("report_campaign_daily")
      .values({
        group_id: p.group_id,
        location_id: p.location_id,
        day: p.day,
        campaign_id: p.campaign_id,
        template_name: p.template_name,
        offers_redeemed: p.offers_redeemed,
        redeemed_revenue_e4: p.redeemed_revenue_e4,
      })
      .onConflict((oc) =>
        oc.columns(["group_id", "day", "location_id", "campaign_id", "template_name"]).doUpdateSet((eb) => ({
          offers_redeemed: eb("report_campaign_daily.offers_redeemed", "+", eb.ref("excluded.offers_redeemed")),
          redeemed_revenue_e4: eb("report_campaign_daily.redeemed_revenue_e4", "+", eb.ref("excluded.redeemed_revenue_e4")),
        })),
      ),
);

async function applyDeltas(
  ctx: EngageContext,
  receipt: ReceiptKey,
  sign: 1 | -1,
  visit: Awaited<ReturnType<typeof standing>>,
  redeemedNone = false,
): Promise<void> {
  const day = dayOf(receipt.created_at);
  const campaigns = redeemedNone ? [] : await redeemedByReceipt.rows(ctx.db, { receiptId: receipt.id });
  const redeemed = campaigns.reduce((n, c) => n + Number(c.n), 0);
  const deltas = new Map<string, { location_id: number; day: number; sums: Sums }>();
  const at = (location_id: number, d: number) => {
    const key = `${d}:${location_id}`;
    let entry = deltas.get(key);
    if (!entry) deltas.set(key, (entry = { location_id, day: d, sums: { ...ZERO } }));
    return entry.sums;
  };
  const own = at(receipt.location_id, day);
  own.receipts += sign;
  own.revenue_e4 += sign * receipt.total_e4;
  own.offers_redeemed += sign * redeemed;
  own.redeemed_revenue_e4 += redeemed > 0 ? sign * receipt.total_e4 : 0;
  if (!visit.first) own.repeat_receipts += sign;
  else {
    own.new_customers += sign;
    if (visit.next) {
      // Added before the customer's former first visit, that one is now a repeat; removed, the
      // next one is their first again.
      const next = at(visit.next.location_id, dayOf(visit.next.created_at));
      next.new_customers -= sign;
      next.repeat_receipts += sign;
    }
  }
  // One order for every transaction, so two receipts never wait on each other's rows in a cycle;
  // on PostgreSQL, rows of one shard of the days (0009_report_shards), picked by the receipt's
  // random id: a store's concurrent receipts mostly add to different rows.
  const ordered = [...deltas.values()].sort((a, b) => a.day - b.day || a.location_id - b.location_id);
  const shard = ctx.dialect === "postgres" ? (parseInt(receipt.id.slice(0, 2), 16) || 0) % REPORT_SHARDS : 0;
  for (const { location_id, day: d, sums } of ordered) {
    await addDaily.run(ctx.db, { group_id: receipt.group_id, location_id, day: d, shard, ...sums });
  }
  const byCampaign = campaigns
    .map((c) => ({ campaign_id: Number(c.campaign_id ?? 0), template_name: c.template_name, n: Number(c.n) }))
    .sort((a, b) => a.campaign_id - b.campaign_id || (a.template_name < b.template_name ? -1 : 1));
  for (const c of byCampaign) {
    await addCampaignDaily.run(ctx.db, {
      group_id: receipt.group_id,
      location_id: receipt.location_id,
      day,
      campaign_id: c.campaign_id,
      template_name: c.template_name,
      offers_redeemed: sign * c.n,
      redeemed_revenue_e4: sign * receipt.total_e4,
    });
  }
}

/**
 * Adds a stored receipt (its offers already redeemed) to the summary. `redeemedNone`: the
 * caller knows no offer names this receipt as its redeemer (a new receipt that redeemed none).
 */
export async function recordReceipt(ctx: EngageContext, receipt: ReceiptKey, { redeemedNone = false } = {}): Promise<void> {
  await applyDeltas(ctx, receipt, 1, await standing(ctx, receipt), redeemedNone);
}

/** Takes a receipt just marked voided out of the summary, before its offers are released. */
export async function unrecordReceipt(ctx: EngageContext, receipt: ReceiptKey): Promise<void> {
  await applyDeltas(ctx, receipt, -1, await standing(ctx, receipt));
}

/** Sums one group's receipts into the summary again from scratch (after bulk loads that bypass the verbs). */
export async function rebuildReportSummaries(db: Kysely<Database>, groupId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("report_daily").where("group_id", "=", groupId).execute();
    await trx.deleteFrom("report_campaign_daily").where("group_id", "=", groupId).execute();
    await fillReportSummaries(trx, groupId);
  });
}

// ---------------------------------------------------------------------------------------------
// Reading.

interface Period {
  fromDay: number;
  toDay: number;
  /** The one location reported on, or null for the whole group. */
  locationId: number | null;
  locations: { id: number; name: string }[];
}

async function periodOf(ctx: EngageContext, query: ReportQuery): Promise<Period> {
  const fromDay = dayNumber(query.From)!;
  const toDay = dayNumber(query.To)!;
  const own = ctx.scope.locationId;
  let locationId: number | null = null;
  if (own !== null) {
    if (query.LocationID !== undefined && query.LocationID !== own) {
      throw forbidden("A location key reports on its own location only.");
    }
    locationId = own;
  } else if (query.LocationID !== undefined) {
    locationId = query.LocationID;
  }
  let q = ctx.db.selectFrom("locations").select(["id", "name"]).where("group_id", "=", ctx.scope.groupId);
  if (locationId !== null) q = q.where("id", "=", locationId);
  const locations = await q.orderBy("id").execute();
  if (locationId !== null && locations.length === 0) throw invalidField("LocationID", "is not a location of this group");
  return { fromDay, toDay, locationId, locations };
}

const num = (v: unknown) => Number(v ?? 0);
const rate = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000);
const money = (e4: number) => e4 / 10_000;

function figures(s: Sums, customersTotal: number, offersIssued: number): ReportFigures {
  return {
    Customers: { Total: customersTotal, New: s.new_customers },
    Receipts: {
      Count: s.receipts,
      Revenue: money(s.revenue_e4),
      AverageTicket: s.receipts === 0 ? 0 : money(Math.round(s.revenue_e4 / s.receipts)),
    },
    RepeatVisitRate: rate(s.repeat_receipts, s.receipts),
    Offers: {
      Issued: offersIssued,
      Redeemed: s.offers_redeemed,
      RedemptionRate: rate(s.offers_redeemed, offersIssued),
      RedeemedRevenue: money(s.redeemed_revenue_e4),
    },
  };
}

/** The summary's figures summed over rows (a period's days, a day's shards). */
export function summed(eb: ExpressionBuilder<Database, "report_daily">) {
  return [
    eb.fn.sum<number>("receipts").as("receipts"),
    eb.fn.sum<number>("revenue_e4").as("revenue_e4"),
    eb.fn.sum<number>("new_customers").as("new_customers"),
    eb.fn.sum<number>("repeat_receipts").as("repeat_receipts"),
    eb.fn.sum<number>("offers_redeemed").as("offers_redeemed"),
    eb.fn.sum<number>("redeemed_revenue_e4").as("redeemed_revenue_e4"),
  ];
}

function dailyRows(ctx: EngageContext, period: Period) {
  let q = ctx.db
    .selectFrom("report_daily")
    .where("group_id", "=", ctx.scope.groupId)
    .where("day", ">=", period.fromDay)
    .where("day", "<=", period.toDay);
  if (period.locationId !== null) q = q.where("location_id", "=", period.locationId);
  return q;
}

function issuedOffers(ctx: EngageContext, period: Period) {
  let q = ctx.db
    .selectFrom("offers")
    .where("group_id", "=", ctx.scope.groupId)
    .where("created_at", ">=", period.fromDay * DAY_MS)
    .where("created_at", "<", (period.toDay + 1) * DAY_MS);
  if (period.locationId !== null) q = q.where("location_id", "=", period.locationId);
  return q;
}

function toSums(row: Record<string, unknown> | undefined): Sums {
  if (!row) return { ...ZERO };
  return {
    receipts: num(row.receipts),
    revenue_e4: num(row.revenue_e4),
    new_customers: num(row.new_customers),
    repeat_receipts: num(row.repeat_receipts),
    offers_redeemed: num(row.offers_redeemed),
    redeemed_revenue_e4: num(row.redeemed_revenue_e4),
  };
}

function add(a: Sums, b: Sums): Sums {
  return {
    receipts: a.receipts + b.receipts,
    revenue_e4: a.revenue_e4 + b.revenue_e4,
    new_customers: a.new_customers + b.new_customers,
    repeat_receipts: a.repeat_receipts + b.repeat_receipts,
    offers_redeemed: a.offers_redeemed + b.offers_redeemed,
    redeemed_revenue_e4: a.redeemed_revenue_e4 + b.redeemed_revenue_e4,
  };
}

export async function getReportSummary({ ctx, query }: { ctx: EngageContext; query: ReportQuery }): Promise<ReportSummary> {
  const period = await periodOf(ctx, query);
  const group = ctx.scope.groupId;
  let totalsQuery = ctx.db.selectFrom("report_daily").where("group_id", "=", group).where("day", "<=", period.toDay);
  if (period.locationId !== null) totalsQuery = totalsQuery.where("location_id", "=", period.locationId);
  let campaignsQuery = ctx.db
    .selectFrom("report_campaign_daily as d")
    .leftJoin("campaigns as c", "c.id", "d.campaign_id")
    .where("d.group_id", "=", group)
    .where("d.day", ">=", period.fromDay)
    .where("d.day", "<=", period.toDay);
  if (period.locationId !== null) campaignsQuery = campaignsQuery.where("d.location_id", "=", period.locationId);

  const [byLocation, customersByLocation, issuedByLocation, issuedTotal, campaigns] = await Promise.all([
    dailyRows(ctx, period)
      .select((eb) => [
        "location_id",
        ...summed(eb),
      ])
      .groupBy("location_id")
      .execute(),
    // Customers so far: everyone whose first visit came by the period's end.
    totalsQuery.select((eb) => ["location_id", eb.fn.sum<number>("new_customers").as("n")]).groupBy("location_id").execute(),
    issuedOffers(ctx, period)
      .where("location_id", "is not", null)
      .select((eb) => ["location_id", eb.fn.countAll<number>().as("n")])
      .groupBy("location_id")
      .execute(),
    issuedOffers(ctx, period).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    campaignsQuery
      .select((eb) => [
        "d.campaign_id",
        "d.template_name",
        "c.name",
        eb.fn.sum<number>("d.offers_redeemed").as("offers_redeemed"),
        eb.fn.sum<number>("d.redeemed_revenue_e4").as("redeemed_revenue_e4"),
      ])
      .groupBy(["d.campaign_id", "d.template_name", "c.name"])
      .having((eb) => eb.fn.sum("d.offers_redeemed"), ">", 0)
      .orderBy("redeemed_revenue_e4", "desc")
      .orderBy("d.campaign_id")
      .limit(TOP_CAMPAIGNS)
      .execute(),
  ]);

  const sumsOf = new Map(byLocation.map((r) => [Number(r.location_id), toSums(r)]));
  const customersOf = new Map(customersByLocation.map((r) => [Number(r.location_id), num(r.n)]));
  const issuedOf = new Map(issuedByLocation.map((r) => [Number(r.location_id), num(r.n)]));
  const total = [...sumsOf.values()].reduce(add, { ...ZERO });
  const customersTotal = [...customersOf.values()].reduce((a, b) => a + b, 0);

  return {
    From: dayDate(period.fromDay),
    To: dayDate(period.toDay),
    LocationID: period.locationId,
    ...figures(total, customersTotal, num(issuedTotal.n)),
    Locations: period.locations.map((l) => ({
      LocationID: l.id,
      Name: l.name,
      ...figures(sumsOf.get(l.id) ?? { ...ZERO }, customersOf.get(l.id) ?? 0, issuedOf.get(l.id) ?? 0),
    })),
    Campaigns: campaigns.map(
      (c): ReportCampaign => ({
        CampaignID: Number(c.campaign_id) === 0 ? null : Number(c.campaign_id),
        TemplateName: c.template_name,
        Name: c.name ?? null,
        OffersRedeemed: num(c.offers_redeemed),
        RedeemedRevenue: money(num(c.redeemed_revenue_e4)),
      }),
    ),
  };
}

export async function getReportDaily({ ctx, query }: { ctx: EngageContext; query: ReportQuery }): Promise<ReportDaily> {
  const period = await periodOf(ctx, query);
  const dayExpression = sql<number>`created_at / ${sql.lit(DAY_MS)}`;
  const [rows, issued] = await Promise.all([
    dailyRows(ctx, period)
      .select((eb) => [
        "day",
        ...summed(eb),
      ])
      .groupBy("day")
      .execute(),
    issuedOffers(ctx, period)
      .select((eb) => [dayExpression.as("day"), eb.fn.countAll<number>().as("n")])
      .groupBy(dayExpression)
      .execute(),
  ]);
  const sumsOf = new Map(rows.map((r) => [Number(r.day), toSums(r)]));
  const issuedOf = new Map(issued.map((r) => [Number(r.day), num(r.n)]));
  const days: ReportDay[] = [];
  for (let d = period.fromDay; d <= period.toDay; d++) {
    const s = sumsOf.get(d) ?? ZERO;
    days.push({
      Date: dayDate(d),
      NewCustomers: s.new_customers,
      Receipts: s.receipts,
      Revenue: money(s.revenue_e4),
      AverageTicket: s.receipts === 0 ? 0 : money(Math.round(s.revenue_e4 / s.receipts)),
      RepeatVisits: s.repeat_receipts,
      OffersIssued: issuedOf.get(d) ?? 0,
      OffersRedeemed: s.offers_redeemed,
      RedeemedRevenue: money(s.redeemed_revenue_e4),
    });
  }
  return { From: dayDate(period.fromDay), To: dayDate(period.toDay), LocationID: period.locationId, Days: days };
}
