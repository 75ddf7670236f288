// Notifications (ENGAGE_API.md §8): the outbox (one row per offer and consented channel,
// written in the offer's transaction) and every delivery attempt made for it.
import { sql, type Kysely } from "kysely";
import type { Dialect } from "../dialect-name";
import { idColumn } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("notifications")
    .addColumn("id", ...idColumn(dialect))
    .addColumn("group_id", "bigint", (c) => c.notNull().references("groups.id"))
    .addColumn("offer_id", "bigint", (c) => c.notNull().references("offers.id"))
    .addColumn("campaign_id", "bigint")
    // The offer's location (null for a group-wide offer): what a location key may see.
    .addColumn("location_id", "bigint")
    .addColumn("customer_pk", "bigint", (c) => c.notNull().references("customers.id"))
    .addColumn("customer_id", "bigint", (c) => c.notNull())
    .addColumn("template_name", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("recipient", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("provider_id", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("next_attempt_at", "bigint")
    .addColumn("last_attempt_at", "bigint")
    .addColumn("sent_at", "bigint")
    // A worker's claim: rows leased to one worker are not taken by another until it runs out.
    .addColumn("lease_until", "bigint")
    .addColumn("lease_owner", "text")
    .addUniqueConstraint("notifications_offer_channel", ["offer_id", "channel"])
    .execute();
  // What the worker looks for: only Pending rows, so the index stays small however long the history.
  await db.schema
    .createIndex("notifications_due")
    .on("notifications")
    .columns(["next_attempt_at", "id"])
    .where(sql.ref("status"), "=", sql.lit("Pending"))
    .execute();
  for (const columns of [
    ["group_id", "created_at"],
    ["location_id", "created_at"],
    ["customer_pk", "created_at"],
    ["campaign_id", "created_at"],
  ]) {
    await db.schema.createIndex(`notifications_${columns[0]}`).on("notifications").columns(columns).execute();
  }

  await db.schema
    .createTable("notification_attempts")
    .addColumn("id", ...idColumn(dialect))
    .addColumn("notification_id", "bigint", (c) => c.notNull().references("notifications.id"))
    .addColumn("attempt_no", "integer", (c) => c.notNull())
    .addColumn("attempted_at", "bigint", (c) => c.notNull())
    .addColumn("duration_ms", "integer", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("error", "text")
    .addColumn("provider_id", "text")
    .execute();
  await db.schema
    .createIndex("notification_attempts_notification")
    .on("notification_attempts")
    .columns(["notification_id", "attempt_no"])
    .execute();

  // An inbound "STOP" names only a phone number, of customers in any group.
  await db.schema.createIndex("customers_phone").on("customers").columns(["phone"]).execute();
}
