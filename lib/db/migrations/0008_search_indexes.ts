// Customer search at a million customers (issue 8): indexes that hold, beside what a search
// matches on, the columns of the list's order (last name, first name, CustomerID). A search picks
// its page's customers from the index alone (hundreds or thousands of small index entries sorted)
// and reads only the page's rows, instead of reading every matching row to sort them (2 ms for a
// 5-digit phone prefix, 22 ms for a first name as common as "james", on SQLite at 1,000,000).
//
// PostgreSQL carries the order's columns in the unique indexes themselves (INCLUDE), so a
// receipt's update of a customer (no HOT update: its statistics are indexed) writes no more index
// entries than before; SQLite has no INCLUDE, and its UPDATE touches only the indexes of the
// columns it changes, so there a second index beside the unique one costs a receipt nothing.
import { sql, type Kysely } from "kysely";
import type { Dialect } from "../dialect-name";

const ORDER = ["last_name_norm", "first_name_norm", "customer_id"] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  // Name prefixes, a phone's last four: the same index, with the order's columns after it.
  const replaced: [string, string, string[]][] = [
    ["customers_last_name_norm_first_name_norm", "customers_search_last_name", ["group_id", ...ORDER]],
    ["customers_first_name_norm", "customers_search_first_name", ["group_id", "first_name_norm", "last_name_norm", "customer_id"]],
    ["customers_phone_last4", "customers_search_phone_last4", ["group_id", "phone_last4", ...ORDER]],
  ];
  for (const [old, name, columns] of replaced) {
    await db.schema.createIndex(name).on("customers").columns(columns).execute();
    await db.schema.dropIndex(old).execute();
  }
  // Phone and email prefixes: their unique indexes.
  for (const column of ["phone", "email"]) {
    if (dialect === "postgres") {
      const name = `customers_group_${column}`;
      await sql`create unique index ${sql.id(`${name}_search`)} on customers (group_id, ${sql.ref(column)}) include (last_name_norm, first_name_norm, customer_id)`.execute(db);
      await db.schema.dropIndex(name).execute();
      await sql`alter index ${sql.id(`${name}_search`)} rename to ${sql.id(name)}`.execute(db);
    } else {
      // Unique like the index it stands beside (which it cannot contradict: CustomerID is unique
      // in the group), so that SQLite's planner prefers it to that one for a prefix search.
      await db.schema.createIndex(`customers_search_${column}`).on("customers").columns(["group_id", column, ...ORDER]).unique().execute();
    }
  }
  // Databases analyzed before (`npm run admin -- seed-scale` does): the new indexes' statistics
  // beside the old ones', or SQLite's planner, comparing measured and unmeasured indexes, turns
  // a name search's count from a multi-index OR (1 ms) into a walk over the group (2.5 s).
  if (dialect === "sqlite") {
    const analyzed = await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'sqlite_stat1'`.execute(db);
    if (Number(analyzed.rows[0].n) > 0) await sql`analyze customers`.execute(db);
  }
}
