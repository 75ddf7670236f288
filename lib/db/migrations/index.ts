// Every migration, in order. A migration is never edited once released: a newer app
// adds one, so an older database is brought forward without losing data.
import type { Kysely, Migration, MigrationProvider } from "kysely";
import type { Dialect } from "../dialect-name";
import * as m0001 from "./0001_engage";
import * as m0002 from "./0002_console";
import * as m0003 from "./0003_automations";
import * as m0004 from "./0004_notifications";
import * as m0005 from "./0005_reports";
import * as m0006 from "./0006_rate_limits";
import * as m0007 from "./0007_audit";
import * as m0008 from "./0008_search_indexes";
import * as m0009 from "./0009_report_shards";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Up = (db: Kysely<any>, dialect: Dialect) => Promise<void>;

const all: Record<string, { up: Up }> = {
  "0001_engage": m0001,
  "0002_console": m0002,
  "0003_automations": m0003,
  "0004_notifications": m0004,
  "0005_reports": m0005,
  "0006_rate_limits": m0006,
  "0007_audit": m0007,
  "0008_search_indexes": m0008,
  "0009_report_shards": m0009,
};

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      const migrations: Record<string, Migration> = {};
      for (const [name, m] of Object.entries(all)) {
        migrations[name] = { up: (db) => m.up(db, dialect) };
      }
      return migrations;
    },
  };
}
