// Queries built and compiled once. Kysely builds a query as a tree of frozen nodes and compiles
// it to SQL on every call: tens of µs for the hot path's statements, more than SQLite takes to
// run them. A prepared query is built once per dialect with placeholders where its values go;
// each run only puts the values in. Its SQL text never changes, so SQLite's statement cache
// (sqlite-dialect.ts) and PostgreSQL's named statements (index.ts) prepare it once too.
//
// Only for queries whose shape does not depend on the values: a placeholder must stand where
// Kysely binds one value (a comparison's operand, an inserted or updated value, a limit), never
// in an `in` list, an `is`, or anything that decides which SQL is written.
import type { CompiledQuery, Compilable, Kysely, QueryResult, RootOperationNode } from "kysely";
import type { Database } from "./schema";

class Placeholder {
  constructor(readonly name: string) {}
}

interface Template {
  sql: string;
  /** Each parameter: a placeholder to fill in, or a constant of the query as built. */
  slots: readonly unknown[];
  query: RootOperationNode;
}

/** SQL texts of prepared queries, which PostgreSQL may keep as named statements (bounded). */
export const preparedSql = new Set<string>();

type Db = Kysely<Database>;

export interface Prepared<P, R> {
  /** Runs the query with these values. */
  run(db: Db, values: P): Promise<QueryResult<R>>;
  rows(db: Db, values: P): Promise<R[]>;
  first(db: Db, values: P): Promise<R | undefined>;
}

/**
 * `build(db, values)` is called once per dialect with placeholders as `values`: it must return
 * the same query whatever the values are.
 */
export function prepared<P extends object, R>(build: (db: Db, values: P) => Compilable<R>): Prepared<P, R> {
  const templates = new Map<unknown, Template>();
  const placeholders = new Proxy({} as P, { get: (_, name) => new Placeholder(String(name)) });

  function template(db: Db): Template {
    const key = db.getExecutor().adapter.constructor;
    let t = templates.get(key);
    if (t === undefined) {
      const compiled = build(db, placeholders).compile();
      t = { sql: compiled.sql, slots: compiled.parameters, query: compiled.query };
      templates.set(key, t);
      preparedSql.add(t.sql);
    }
    return t;
  }

  async function run(db: Db, values: P): Promise<QueryResult<R>> {
    const t = template(db);
    const parameters = new Array<unknown>(t.slots.length);
    for (let i = 0; i < t.slots.length; i++) {
      const slot = t.slots[i];
      if (slot instanceof Placeholder) {
        const value = (values as Record<string, unknown>)[slot.name];
        if (value === undefined) throw new Error(`prepared query: no value for ${slot.name}`);
        parameters[i] = value;
      } else {
        parameters[i] = slot;
      }
    }
    return db.executeQuery<R>({ sql: t.sql, parameters, query: t.query, queryId: QUERY_ID } as CompiledQuery<R>);
  }

  return {
    run,
    async rows(db, values) {
      return (await run(db, values)).rows;
    },
    async first(db, values) {
      return (await run(db, values)).rows[0];
    },
  };
}

// Kysely's plugins key their state by query id; none are used, so one id serves every run.
const QUERY_ID = { queryId: "prepared" };
