// The Engage platform's first schema: tenancy and keys, customers, receipts, offers and
// manual campaigns. Written with Kysely's schema builder so it runs on SQLite and PostgreSQL.
import type { Kysely } from "kysely";
import type { Dialect } from "../dialect-name";
import { byteOrdered, idColumn } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("groups")
    .addColumn("id", ...idColumn(dialect))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("customer_seq", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("locations")
    .addColumn("id", ...idColumn(dialect))
    .addColumn("group_id", "bigint", (c) => c.notNull().references("groups.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("locations_group").on("locations").columns(["group_id", "id"]).execute();

  await db.schema
    .createTable("api_keys")
    .addColumn("id", ...idColumn(dialect))
    .addColumn("group_id", "bigint", (c) => c.notNull().references("groups.id"))
    .addColumn("location_id", "bigint", (c) => c.references("locations.id"))
    .addColumn("hash", "text", (c) => c.notNull().unique())
    .addColumn("last4", "text", (c) => c.notNull())
    .addColumn("label", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("revoked_at", "bigint")
    .execute();
  await db.schema.createIndex("api_keys_group").on("api_keys").columns(["group_id", "location_id"]).execute();

  await db.schema
    .createTable("customers")
    .addColumn("id", ...idColumn(dialect))
    .addColumn("group_id", "bigint", (c) => c.notNull().references("groups.id"))
    .addColumn("customer_id", "bigint", (c) => c.notNull())
    .addColumn("external_id", "text", byteOrdered(dialect))
    .addColumn("phone", "text", byteOrdered(dialect))
    .addColumn("phone_last4", "text", byteOrdered(dialect))
    .addColumn("email", "text", byteOrdered(dialect))
    .addColumn("first_name", "text")
    .addColumn("last_name", "text")
    .addColumn("first_name_norm", "text", byteOrdered(dialect))
    .addColumn("last_name_norm", "text", byteOrdered(dialect))
    .addColumn("address", "text")
    .addColumn("city", "text")
    .addColumn("state", "text")
    .addColumn("zipcode", "text")
    .addColumn("birthday", "text")
    .addColumn("accepts_sms", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("accepts_email", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("registered_location_id", "bigint", (c) => c.references("locations.id"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("visit_count", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("lifetime_spend_e4", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("first_visit_at", "bigint")
    .addColumn("last_visit_at", "bigint")
    .execute();
  // Uniqueness in the group; NULLs are distinct on both dialects, so absent values never clash.
  for (const column of ["customer_id", "external_id", "phone", "email"]) {
    await db.schema
      .createIndex(`customers_group_${column}`)
      .on("customers")
      .columns(["group_id", column])
      .unique()
      .execute();
  }
  // Search: phone's last 4 digits and name prefixes.
  for (const columns of [
    ["group_id", "phone_last4"],
    ["group_id", "last_name_norm", "first_name_norm"],
    ["group_id", "first_name_norm"],
    // The console's sorts: most valuable and most recent customers first.
    ["group_id", "lifetime_spend_e4"],
    ["group_id", "last_visit_at"],
  ]) {
    await db.schema.createIndex(`customers_${columns.slice(1).join("_")}`).on("customers").columns(columns).execute();
  }

  await db.schema
    .createTable("consent_changes")
    .addColumn("id", ...idColumn(dialect))
    .addColumn("group_id", "bigint", (c) => c.notNull())
    .addColumn("customer_pk", "bigint", (c) => c.notNull().references("customers.id"))
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("accepted", "integer", (c) => c.notNull())
    .addColumn("changed_at", "bigint", (c) => c.notNull())
    .addColumn("actor_type", "text", (c) => c.notNull())
    .addColumn("actor_id", "text")
    .addColumn("actor_label", "text")
    .execute();
  await db.schema.createIndex("consent_changes_customer").on("consent_changes").columns(["customer_pk", "changed_at"]).execute();

  await db.schema
    .createTable("receipts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("group_id", "bigint", (c) => c.notNull().references("groups.id"))
    .addColumn("location_id", "bigint", (c) => c.notNull().references("locations.id"))
    .addColumn("customer_pk", "bigint", (c) => c.notNull().references("customers.id"))
    .addColumn("customer_id", "bigint", (c) => c.notNull())
    .addColumn("subtotal_e4", "bigint", (c) => c.notNull())
    .addColumn("taxes_e4", "bigint", (c) => c.notNull())
    .addColumn("tip_e4", "bigint", (c) => c.notNull())
    .addColumn("shipping_e4", "bigint", (c) => c.notNull())
    .addColumn("total_e4", "bigint", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("voided_at", "bigint")
    .execute();
  await db.schema.createIndex("receipts_group_created").on("receipts").columns(["group_id", "created_at"]).execute();
  await db.schema.createIndex("receipts_location_created").on("receipts").columns(["location_id", "created_at"]).execute();
  await db.schema.createIndex("receipts_customer_created").on("receipts").columns(["customer_pk", "created_at"]).execute();
  await db.schema.createIndex("receipts_customer_location").on("receipts").columns(["customer_pk", "location_id"]).execute();

  await db.schema
    .createTable("receipt_lines")
    .addColumn("receipt_id", "text", (c) => c.notNull().references("receipts.id"))
    .addColumn("line_no", "integer", (c) => c.notNull())
    .addColumn("sku", "text", (c) => byteOrdered(dialect)(c.notNull()))
    .addColumn("description", "text")
    .addColumn("amount_e4", "bigint", (c) => c.notNull())
    .addColumn("quantity_e4", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("receipt_lines_pk", ["receipt_id", "line_no"])
    .execute();
  await db.schema.createIndex("receipt_lines_sku").on("receipt_lines").columns(["sku", "receipt_id"]).execute();

  await db.schema
    .createTable("receipt_discounts")
    .addColumn("receipt_id", "text", (c) => c.notNull().references("receipts.id"))
    .addColumn("line_no", "integer", (c) => c.notNull())
    .addColumn("code", "text")
    .addColumn("description", "text")
    .addColumn("amount_e4", "bigint", (c) => c.notNull())
    .addColumn("offer_id", "bigint")
    .addColumn("redemption_status", "text")
    .addColumn("redemption_reason", "text")
    .addPrimaryKeyConstraint("receipt_discounts_pk", ["receipt_id", "line_no"])
    .execute();

  await db.schema
    .createTable("campaigns")
    .addColumn("id", ...idColumn(dialect))
    .addColumn("group_id", "bigint", (c) => c.notNull().references("groups.id"))
    .addColumn("location_id", "bigint", (c) => c.references("locations.id"))
    .addColumn("template_name", "text", (c) => c.notNull())
    .addColumn("is_location_specific", "integer", (c) => c.notNull())
    .addColumn("amount_off_e4", "bigint", (c) => c.notNull())
    .addColumn("minimum_purchase_e4", "bigint", (c) => c.notNull())
    .addColumn("days_till_expiration", "integer", (c) => c.notNull())
    .addColumn("name", "text")
    .addColumn("message", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("created_by_key_id", "bigint")
    .execute();
  await db.schema.createIndex("campaigns_group").on("campaigns").columns(["group_id", "created_at"]).execute();

  await db.schema
    .createTable("offers")
    .addColumn("id", ...idColumn(dialect))
    .addColumn("group_id", "bigint", (c) => c.notNull().references("groups.id"))
    .addColumn("campaign_id", "bigint", (c) => c.references("campaigns.id"))
    .addColumn("customer_pk", "bigint", (c) => c.notNull().references("customers.id"))
    .addColumn("customer_id", "bigint", (c) => c.notNull())
    .addColumn("code", "text", (c) => byteOrdered(dialect)(c.notNull().unique()))
    .addColumn("template_name", "text", (c) => c.notNull())
    .addColumn("amount_off_e4", "bigint", (c) => c.notNull())
    .addColumn("minimum_purchase_e4", "bigint", (c) => c.notNull())
    .addColumn("is_location_specific", "integer", (c) => c.notNull())
    .addColumn("location_id", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("redeemed_at", "bigint")
    .addColumn("redeemed_receipt_id", "text")
    .addColumn("redeemed_location_id", "bigint")
    .addColumn("trigger_key", "text", (c) => c.notNull().unique())
    .execute();
  await db.schema.createIndex("offers_customer").on("offers").columns(["customer_pk", "created_at"]).execute();
  await db.schema.createIndex("offers_campaign").on("offers").columns(["campaign_id", "customer_pk"]).execute();
  await db.schema.createIndex("offers_campaign_customer_id").on("offers").columns(["campaign_id", "customer_id"]).execute();
  await db.schema.createIndex("offers_redeemed_receipt").on("offers").columns(["redeemed_receipt_id"]).execute();

  await db.schema
    .createTable("campaign_sends")
    .addColumn("id", ...idColumn(dialect))
    .addColumn("group_id", "bigint", (c) => c.notNull())
    .addColumn("campaign_id", "bigint", (c) => c.notNull().references("campaigns.id"))
    .addColumn("key_id", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("item_count", "integer", (c) => c.notNull())
    .addColumn("completed_at", "bigint")
    .addColumn("lease_until", "bigint")
    .execute();
  await db.schema.createIndex("campaign_sends_open").on("campaign_sends").columns(["completed_at", "id"]).execute();

  await db.schema
    .createTable("campaign_send_items")
    .addColumn("id", ...idColumn(dialect))
    .addColumn("send_id", "bigint", (c) => c.notNull().references("campaign_sends.id"))
    .addColumn("campaign_id", "bigint", (c) => c.notNull())
    .addColumn("customer_id", "bigint", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("offer_id", "bigint")
    .addColumn("decided_at", "bigint")
    .addUniqueConstraint("campaign_send_items_send_customer", ["send_id", "customer_id"])
    .execute();
  await db.schema.createIndex("campaign_send_items_send_status").on("campaign_send_items").columns(["send_id", "status", "id"]).execute();
  await db.schema.createIndex("campaign_send_items_campaign").on("campaign_send_items").columns(["campaign_id", "customer_id"]).execute();

  await db.schema
    .createTable("idempotency_keys")
    .addColumn("key_id", "bigint", (c) => c.notNull())
    .addColumn("idem_key", "text", (c) => c.notNull())
    .addColumn("request_hash", "text", (c) => c.notNull())
    .addColumn("status_code", "integer")
    .addColumn("response_headers", "text")
    .addColumn("response_body", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("idempotency_keys_pk", ["key_id", "idem_key"])
    .execute();
  await db.schema.createIndex("idempotency_keys_created").on("idempotency_keys").columns(["created_at"]).execute();

}
