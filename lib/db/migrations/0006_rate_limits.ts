// Per-key rate limits (ENGAGE_API.md §9): a key may carry its own limit instead of
// ENGAGE_RATE_LIMIT's, and instances sharing a PostgreSQL database count each key's requests
// in one row per key (SQLite keeps its counts in the one process's memory and leaves the
// table empty).
import type { Kysely } from "kysely";
import type { Dialect } from "../dialect-name";

// eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable("api_keys").addColumn("rate_limit", "text").execute();
  await db.schema
    .createTable("engage_rate_limits")
    .addColumn("key_id", "bigint", (c) => c.primaryKey())
    .addColumn("window_start", "bigint", (c) => c.notNull())
    .addColumn("used", "integer", (c) => c.notNull())
    .execute();
}
