// Reports (docs/API-EXTENSIONS.md): a summary per group, location and UTC day, kept up to date
// in each receipt's transaction (lib/engage/reports.ts), so the summary and the daily series
// read a few hundred rows whatever the number of receipts; offers issued are counted on an index.
// Existing receipts are summed into the tables here, so a database brought forward is right.
import { sql, type Kysely } from "kysely";

export const DAY_MS = 86_400_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("report_daily")
    .addColumn("group_id", "bigint", (c) => c.notNull().references("groups.id"))
    .addColumn("location_id", "bigint", (c) => c.notNull().references("locations.id"))
    // Days since 1970-01-01, UTC.
    .addColumn("day", "integer", (c) => c.notNull())
    .addColumn("receipts", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("revenue_e4", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("new_customers", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("repeat_receipts", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("offers_redeemed", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("redeemed_revenue_e4", "bigint", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("report_daily_pk", ["group_id", "day", "location_id"])
    .execute();

  // Redemptions by campaign (campaign_id 0: offers of no campaign, by template, e.g. automations).
  await db.schema
    .createTable("report_campaign_daily")
    .addColumn("group_id", "bigint", (c) => c.notNull().references("groups.id"))
    .addColumn("location_id", "bigint", (c) => c.notNull().references("locations.id"))
    .addColumn("day", "integer", (c) => c.notNull())
    .addColumn("campaign_id", "bigint", (c) => c.notNull())
    .addColumn("template_name", "text", (c) => c.notNull())
    .addColumn("offers_redeemed", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("redeemed_revenue_e4", "bigint", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("report_campaign_daily_pk", ["group_id", "day", "location_id", "campaign_id", "template_name"])
    .execute();

  // Offers issued in a period: the group's (any location), and one location's.
  await db.schema.createIndex("offers_group_created").on("offers").columns(["group_id", "created_at", "location_id"]).execute();
  await db.schema.createIndex("offers_location_created").on("offers").columns(["location_id", "created_at"]).execute();

  await fillReportSummaries(db, null);
}

/**
 * Sums receipts into the summary tables: every group's (groupId null) or one group's, whose
 * rows must not exist yet. The same rules as the receipt's transaction: a receipt that is not
 * voided counts; a customer's first such receipt (by time, then ReceiptID) is their first
 * visit, every later one a repeat visit; an offer counts as redeemed by the receipt that holds it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function fillReportSummaries(db: Kysely<any>, groupId: number | null): Promise<void> {
  const inGroup = groupId === null ? sql`` : sql`and r.group_id = ${groupId}`;
  const offersInGroup = groupId === null ? sql`` : sql`and group_id = ${groupId}`;
  const day = sql.lit(DAY_MS);
  await sql`
    insert into report_daily
      (group_id, location_id, day, receipts, revenue_e4, new_customers, repeat_receipts, offers_redeemed, redeemed_revenue_e4)
    select v.group_id, v.location_id, v.created_at / ${day},
      count(*),
      sum(v.total_e4),
      sum(case when v.visit_no = 1 then 1 else 0 end),
      sum(case when v.visit_no > 1 then 1 else 0 end),
      sum(coalesce(o.n, 0)),
      sum(case when o.n > 0 then v.total_e4 else 0 end)
    from (
      select r.id, r.group_id, r.location_id, r.created_at, r.total_e4,
        row_number() over (partition by r.customer_pk order by r.created_at, r.id) as visit_no
      from receipts r
      where r.voided_at is null ${inGroup}
    ) v
    left join (
      select redeemed_receipt_id, count(*) as n from offers where redeemed_receipt_id is not null ${offersInGroup} group by redeemed_receipt_id
    ) o on o.redeemed_receipt_id = v.id
    group by v.group_id, v.location_id, v.created_at / ${day}
  `.execute(db);
  await sql`
    insert into report_campaign_daily
      (group_id, location_id, day, campaign_id, template_name, offers_redeemed, redeemed_revenue_e4)
    select r.group_id, r.location_id, r.created_at / ${day}, c.campaign_id, c.template_name, sum(c.n), sum(r.total_e4)
    from (
      select redeemed_receipt_id, coalesce(campaign_id, 0) as campaign_id, template_name, count(*) as n
      from offers
      where redeemed_receipt_id is not null ${offersInGroup}
      group by redeemed_receipt_id, coalesce(campaign_id, 0), template_name
    ) c
    join receipts r on r.id = c.redeemed_receipt_id
    where r.voided_at is null ${inGroup}
    group by r.group_id, r.location_id, r.created_at / ${day}, c.campaign_id, c.template_name
  `.execute(db);
}
