// The audit log (every change made from the console or the CLI: who, what, when, from where)
// and customers' erasure. The log is append-only: a trigger refuses UPDATE and DELETE on both
// dialects, so not even a bug in our code can rewrite history.
import { sql, type Kysely } from "kysely";
import type { Dialect } from "../dialect-name";
import { idColumn } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("audit_log")
    .addColumn("id", ...idColumn(dialect))
    .addColumn("group_id", "bigint", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    /** The person: a console user's email, or "cli:<os user>". */
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("actor_id", "text")
    .addColumn("actor_role", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target_type", "text")
    .addColumn("target_id", "text")
    /** JSON, personal data masked. */
    .addColumn("details", "text")
    /** "console" or "cli". */
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .execute();
  await db.schema.createIndex("audit_log_group_at").on("audit_log").columns(["group_id", "at", "id"]).execute();
  await db.schema.createIndex("audit_log_group_action").on("audit_log").columns(["group_id", "action", "at"]).execute();
  await db.schema.createIndex("audit_log_group_target").on("audit_log").columns(["group_id", "target_type", "target_id"]).execute();

  if (dialect === "sqlite") {
    for (const operation of ["update", "delete"]) {
      await sql
        .raw(
          `create trigger audit_log_no_${operation} before ${operation} on audit_log ` +
            `begin select raise(abort, 'audit_log is append-only'); end`,
        )
        .execute(db);
    }
  } else {
    await sql`
      create function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only';
      end
      $$`.execute(db);
    await sql`
      create trigger audit_log_append_only before update or delete on audit_log
      for each statement execute function audit_log_append_only()`.execute(db);
    await sql`
      create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only()`.execute(db);
  }

  // An erased customer keeps the row (its CustomerID, statistics and receipts stay for the
  // books) with every piece of personal data gone; the CustomerID is never handed out again.
  await db.schema.alterTable("customers").addColumn("erased_at", "bigint").execute();
}
