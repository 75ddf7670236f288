// Column helpers for migrations that must read the same on SQLite and PostgreSQL.
import { sql, type ColumnDataType, type ColumnDefinitionBuilder } from "kysely";
import type { Dialect } from "../dialect-name";

/** An auto-assigned integer primary key: never reused on SQLite (AUTOINCREMENT), an identity on PostgreSQL. */
export function idColumn(
  dialect: Dialect,
): [ColumnDataType, (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  return dialect === "sqlite"
    ? ["integer", (c) => c.primaryKey().autoIncrement()]
    : ["bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity()];
}

/**
 * Text compared byte by byte, as SQLite does by default: on PostgreSQL a locale collation
 * would keep prefix searches (`col >= 'smi' AND col < 'smj'`) from using the index.
 */
export function byteOrdered(dialect: Dialect): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return (c) => (dialect === "postgres" ? c.modifyEnd(sql`collate "C"`) : c);
}
