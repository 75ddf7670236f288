// Automated campaigns (ENGAGE_API.md §7): each template's configuration, group-wide or per
// location; which automation and which receipt spawned an offer; and the daily run's lease.
import { sql, type Kysely } from "kysely";
import type { Dialect } from "../dialect-name";
import { idColumn } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("automations")
    .addColumn("id", ...idColumn(dialect))
    .addColumn("group_id", "bigint", (c) => c.notNull().references("groups.id"))
    .addColumn("location_id", "bigint", (c) => c.references("locations.id"))
    // location_id, or 0 for the group-wide configuration: NULLs are distinct in a unique
    // index on both dialects, so the key needs a real value to hold one per scope.
    .addColumn("scope_id", "bigint", (c) => c.notNull())
    .addColumn("template_name", "text", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull())
    .addColumn("amount_off_e4", "bigint", (c) => c.notNull())
    .addColumn("minimum_purchase_e4", "bigint", (c) => c.notNull())
    .addColumn("days_till_expiration", "integer", (c) => c.notNull())
    .addColumn("spend_threshold_e4", "bigint")
    .addColumn("visit_interval", "integer")
    .addColumn("days_before", "integer")
    .addColumn("lapse_days", "integer")
    .addColumn("message", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("updated_by_key_id", "bigint")
    .addUniqueConstraint("automations_scope_template", ["group_id", "scope_id", "template_name"])
    .execute();

  await db.schema.alterTable("offers").addColumn("automation_id", "bigint").execute();
  await db.schema.alterTable("offers").addColumn("source_receipt_id", "text").execute();
  await db.schema.createIndex("offers_source_receipt").on("offers").columns(["source_receipt_id"]).execute();
  // Win-back asks whether a customer already holds one issued since their last visit.
  await db.schema.createIndex("offers_customer_template").on("offers").columns(["customer_pk", "template_name", "created_at"]).execute();

  // The daily birthday run finds customers by the month and day of their birthday.
  await sql`create index customers_birthday_md on customers (group_id, substr(birthday, 6, 5))`.execute(db);

  // One row per day the daily run has run (or is running): a lease lets one app instance of
  // several do the work; completed_at tells the others (and a restart) it is done.
  await db.schema
    .createTable("automation_runs")
    .addColumn("run_date", "text", (c) => c.primaryKey())
    .addColumn("started_at", "bigint", (c) => c.notNull())
    .addColumn("lease_until", "bigint")
    .addColumn("completed_at", "bigint")
    .addColumn("offers_issued", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}
