// Kysely's SQLite dialect, tuned for the Engage hot path:
// - Statements are prepared once per SQL text (Kysely's own driver prepares every query anew,
//   ~140 µs a request).
// - Reads outside a transaction run on a second, query-only connection to the same file: they
//   never queue behind a transaction in progress, and (WAL) they see what was last committed.
// - Write transactions start with BEGIN IMMEDIATE, so two processes on one file never deadlock
//   on a lock upgrade (the busy timeout then makes the second one wait its turn).
// - Group commit: the transactions that run in one turn of the event loop (the requests that
//   arrived together) share one COMMIT, so one fsync (synchronous=FULL) makes all of them
//   durable. Each runs in a savepoint of one outer transaction: one that fails is rolled back to
//   its savepoint alone, and one that succeeds hears of its commit only after the outer COMMIT,
//   so no caller learns of a commit before it is on disk. The outer transaction commits at the
//   end of the turn (setImmediate), after MAX_BATCH transactions, or once it is MAX_BATCH_MS
//   old. When the server is not busy (no transaction waiting, and no request from the network
//   in progress or no COMMIT in the last BUSY_MS), a transaction commits at once. A write
//   outside a transaction commits the open batch first.
import type Database from "better-sqlite3";
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from "kysely";

const MAX_CACHED_STATEMENTS = 1000;
/** The most transactions one COMMIT makes durable. */
const MAX_BATCH = 64;
/** A batch older than this commits at its next transaction's end, waiting or not. */
const MAX_BATCH_MS = 10;
/** A transaction ending within this long of the last COMMIT waits for company: the server is busy. */
const BUSY_MS = 10;

/**
 * Requests from the network being answered (the node adapter counts them). A transaction waits
 * for company only while there are some: with the wire quiet (the console's in-process calls,
 * the workers, the CLI), each commits at once.
 */
export const wireLoad = { requests: 0 };

class StatementCache {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  get(sql: string): Database.Statement {
    let stmt = this.#statements.get(sql);
    if (stmt === undefined) {
      stmt = this.#db.prepare(sql);
      if (this.#statements.size >= MAX_CACHED_STATEMENTS) {
        // Oldest first: Map keeps insertion order.
        const oldest = this.#statements.keys().next().value;
        if (oldest !== undefined) this.#statements.delete(oldest);
      }
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }
}

function execute<R>(stmt: Database.Statement, parameters: readonly unknown[]): QueryResult<R> {
  if (stmt.reader) return { rows: stmt.all(parameters as unknown[]) as R[] };
  const { changes, lastInsertRowid } = stmt.run(parameters as unknown[]);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

/** The writer connection's queue: one holder at a time, handed to the waiters in order. */
class WriterQueue {
  #held = false;
  readonly #waiters: (() => void)[] = [];

  acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#held = false;
  }

  get waiting(): number {
    return this.#waiters.length;
  }
}

interface Batch {
  /** Transactions whose savepoint is released into the open outer transaction, awaiting its COMMIT. */
  members: { resolve: () => void; reject: (error: unknown) => void }[];
  startedAt: number;
}

const SAVEPOINT = "engage_tx";

class SqliteEngine {
  readonly writer: Database.Database;
  readonly reader: Database.Database | null;
  readonly #writerStatements: StatementCache;
  readonly #readerStatements: StatementCache | null;
  readonly queue = new WriterQueue();
  /** The open outer transaction's committed-to-be members; null when none is open. */
  #batch: Batch | null = null;
  /** A transaction is in progress in its savepoint. */
  #inMember = false;
  #flushScheduled = false;
  #lastCommitAt = -Infinity;

  constructor(writer: Database.Database, reader: Database.Database | null) {
    this.writer = writer;
    this.reader = reader;
    this.#writerStatements = new StatementCache(writer);
    this.#readerStatements = reader ? new StatementCache(reader) : null;
  }

  onWriter<R>(query: CompiledQuery): QueryResult<R> {
    return execute<R>(this.#writerStatements.get(query.sql), query.parameters);
  }

  /** A statement outside any transaction: a read on the reader, a write in its own transaction. */
  async autocommit<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.#writerStatements.get(query.sql);
    if (stmt.readonly && this.#readerStatements) return execute<R>(this.#readerStatements.get(query.sql), query.parameters);
    await this.queue.acquire();
    try {
      this.flush();
      return execute<R>(stmt, query.parameters);
    } finally {
      this.releaseWriter();
    }
  }

  #run(sql: string): void {
    this.#writerStatements.get(sql).run();
  }

  begin(): void {
    if (this.#batch === null) this.#run("begin immediate");
    try {
      this.#run(`savepoint ${SAVEPOINT}`);
    } catch (error) {
      if (this.#batch === null && this.writer.inTransaction) this.#run("rollback");
      throw error;
    }
    this.#inMember = true;
  }

  /**
   * Ends the holder's transaction successfully: resolves once it is durable. The outer
   * transaction stays open for the transactions that start before the event loop's next turn
   * (the requests that arrived with this one), unless it is full or old: then it commits now.
   */
  async commit(handOver: () => void): Promise<void> {
    this.#run(`release ${SAVEPOINT}`);
    this.#inMember = false;
    const now = performance.now();
    const batch = (this.#batch ??= { members: [], startedAt: now });
    const busy = this.queue.waiting > 0 || (wireLoad.requests > 0 && now - this.#lastCommitAt < BUSY_MS);
    if (busy && batch.members.length + 1 < MAX_BATCH && now - batch.startedAt < MAX_BATCH_MS) {
      const durable = new Promise<void>((resolve, reject) => batch.members.push({ resolve, reject }));
      this.#scheduleFlush();
      handOver();
      return durable;
    }
    this.#batch = null;
    try {
      this.#commitOuter();
    } catch (error) {
      this.#abandon(batch, error);
      throw error;
    }
    for (const member of batch.members) member.resolve();
  }

  #commitOuter(): void {
    this.#run("commit");
    this.#lastCommitAt = performance.now();
  }

  /** Commits the batch once the transactions started meanwhile are through (they queue ahead). */
  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      void this.queue.acquire().then(() => {
        try {
          this.flush();
        } finally {
          this.queue.release();
        }
      });
    });
  }

  /** Ends the holder's transaction unsuccessfully: only its own work is undone. */
  rollback(): void {
    this.#inMember = false;
    if (!this.writer.inTransaction) {
      // An error SQLite answers by rolling back the whole transaction (disk full, I/O): the
      // batch's earlier transactions were never committed either.
      const batch = this.#batch;
      this.#batch = null;
      if (batch) this.#abandon(batch, new Error("SQLite rolled the transaction back"));
      return;
    }
    if (this.#batch !== null) {
      this.#run(`rollback to ${SAVEPOINT}`);
      this.#run(`release ${SAVEPOINT}`);
    } else {
      this.#run("rollback");
    }
  }

  #abandon(batch: Batch, error: unknown): void {
    if (this.writer.inTransaction) {
      try {
        this.#run("rollback");
      } catch {
        // already rolled back
      }
    }
    for (const member of batch.members) member.reject(error);
  }

  /** Commits the open batch, if any (the caller holds the writer). */
  flush(): void {
    const batch = this.#batch;
    if (batch === null) return;
    this.#batch = null;
    try {
      this.#commitOuter();
    } catch (error) {
      this.#abandon(batch, error);
      return;
    }
    for (const member of batch.members) member.resolve();
  }

  /** Gives the writer up, to the next in line (an open batch is committed as scheduled). */
  releaseWriter(): void {
    this.queue.release();
  }

  close(): void {
    // A transaction still in progress is rolled back by closing, and with it the batch.
    if (this.#inMember) {
      const batch = this.#batch;
      this.#batch = null;
      if (batch) for (const member of batch.members) member.reject(new Error("the database was closed"));
    } else {
      this.flush();
    }
    this.writer.close();
    this.reader?.close();
  }
}

/** What Kysely calls a connection: one per acquisition, taking the writer only when it writes. */
class SqliteConnection implements DatabaseConnection {
  readonly #engine: SqliteEngine;
  /** This holder has the writer (a transaction is open, or was until just now). */
  holdsWriter = false;
  inTransaction = false;

  constructor(engine: SqliteEngine) {
    this.#engine = engine;
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (this.inTransaction) {
      try {
        return Promise.resolve(this.#engine.onWriter<R>(compiledQuery));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.#engine.autocommit<R>(compiledQuery);
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const engine = this.#engine;
    const own = !this.inTransaction;
    if (own) {
      await engine.queue.acquire();
      engine.flush();
    }
    try {
      const stmt = engine.writer.prepare(compiledQuery.sql);
      for (const row of stmt.iterate(compiledQuery.parameters as unknown[])) {
        yield { rows: [row as R] };
      }
    } finally {
      if (own) engine.releaseWriter();
    }
  }
}

class CachedSqliteDriver implements Driver {
  readonly #engine: SqliteEngine;

  constructor(engine: SqliteEngine) {
    this.#engine = engine;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new SqliteConnection(this.#engine);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as SqliteConnection;
    await this.#engine.queue.acquire();
    c.holdsWriter = true;
    this.#engine.begin();
    c.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as SqliteConnection;
    c.inTransaction = false;
    await this.#engine.commit(() => {
      c.holdsWriter = false;
      this.#engine.queue.release();
    });
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as SqliteConnection;
    c.inTransaction = false;
    if (c.holdsWriter) this.#engine.rollback();
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as SqliteConnection;
    c.inTransaction = false;
    if (c.holdsWriter) {
      c.holdsWriter = false;
      this.#engine.releaseWriter();
    }
  }

  async destroy(): Promise<void> {
    this.#engine.close();
  }
}

export class CachedSqliteDialect implements Dialect {
  readonly #engine: SqliteEngine;

  /** `reader`: a second connection to the same file for reads outside transactions (optional). */
  constructor(writer: Database.Database, reader: Database.Database | null = null) {
    this.#engine = new SqliteEngine(writer, reader);
  }

  createDriver(): Driver {
    return new CachedSqliteDriver(this.#engine);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
