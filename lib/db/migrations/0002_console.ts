// The console's own tables: which locations a staff user works at, the Engage keys the
// console uses (encrypted), and each group's Engage connection. Sign-in's tables (user,
// session, account, verification, rateLimit) belong to better-auth, which creates them.
import type { Kysely } from "kysely";
import type { Dialect } from "../dialect-name";
import { idColumn } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("staff_locations")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("location_id", "bigint", (c) => c.notNull().references("locations.id"))
    .addPrimaryKeyConstraint("staff_locations_pk", ["user_id", "location_id"])
    .execute();

  // Failed sign-ins per account: an account is locked for a while after a few wrong passwords,
  // whatever the address (better-auth's own limit is per address).
  await db.schema
    .createTable("sign_in_failures")
    .addColumn("email", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("first_failure_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("console_connections")
    .addColumn("group_id", "bigint", (c) => c.primaryKey().references("groups.id"))
    .addColumn("mode", "text", (c) => c.notNull())
    .addColumn("remote_url", "text")
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("console_keys")
    .addColumn("id", ...idColumn(dialect))
    .addColumn("group_id", "bigint", (c) => c.notNull().references("groups.id"))
    .addColumn("location_id", "bigint", (c) => c.references("locations.id"))
    .addColumn("mode", "text", (c) => c.notNull())
    .addColumn("sealed_key", "text", (c) => c.notNull())
    .addColumn("last4", "text", (c) => c.notNull())
    .addColumn("api_key_id", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("console_keys_scope")
    .on("console_keys")
    .columns(["group_id", "mode", "location_id"])
    .execute();
}
