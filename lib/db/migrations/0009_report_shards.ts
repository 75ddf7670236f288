// Report summaries in shards (issue 8): on PostgreSQL each receipt's transaction adds its sums to
// one of several rows of its location's day, not to the one row every receipt of that store and
// day updated — whose row lock each transaction held until its commit, so a busy store's receipts
// were written one at a time (half the receipt benchmark's connections waited on it). Readers sum
// the rows of a day as they did (lib/engage/reports.ts). SQLite writes one transaction at a time
// anyway and keeps shard 0.
import { sql, type Kysely } from "kysely";
import type { Dialect } from "../dialect-name";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === "postgres") {
    await db.schema.alterTable("report_daily").addColumn("shard", "integer", (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable("report_daily").dropConstraint("report_daily_pk").execute();
    await db.schema.alterTable("report_daily").addPrimaryKeyConstraint("report_daily_pk", ["group_id", "day", "location_id", "shard"]).execute();
    return;
  }
  // SQLite cannot change a primary key: the table is made again, with its rows.
  await db.schema
    .createTable("report_daily_sharded")
    .addColumn("group_id", "bigint", (c) => c.notNull().references("groups.id"))
    .addColumn("location_id", "bigint", (c) => c.notNull().references("locations.id"))
    .addColumn("day", "integer", (c) => c.notNull())
    .addColumn("receipts", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("revenue_e4", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("new_customers", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("repeat_receipts", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("offers_redeemed", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("redeemed_revenue_e4", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("shard", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("report_daily_pk", ["group_id", "day", "location_id", "shard"])
    .execute();
  const columns = sql.raw("group_id, location_id, day, receipts, revenue_e4, new_customers, repeat_receipts, offers_redeemed, redeemed_revenue_e4");
  await sql`insert into report_daily_sharded (${columns}) select ${columns} from report_daily`.execute(db);
  await db.schema.dropTable("report_daily").execute();
  await db.schema.alterTable("report_daily_sharded").renameTo("report_daily").execute();
}
