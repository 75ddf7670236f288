// The ceiling of our own stack for customer search: a bare node:http server running the same
// indexed queries as GET /v1/Customers?Phone=… and ?Query=… (the count, then the first page in
// the API's order: its customers picked from the search indexes, which hold the order's columns,
// then their rows read), with better-sqlite3 prepared statements or a pg pool. No auth, no
// validation, rows out as they come. bench/search.ts checks both answer the same.
// Usage: reference-search-server.ts DATABASE_URL PORT GROUP_ID
import http from "node:http";
import Database from "better-sqlite3";
import pg from "pg";

const [url, portText, groupText] = process.argv.slice(2);
const port = Number(portText);
const groupId = Number(groupText);
const PAGE = 25;

// The API's order: named customers first, by last then first name, then CustomerID.
const ORDER = `case when last_name_norm is null then 1 else 0 end, last_name_norm asc, first_name_norm asc, customer_id`;
const PHONE_WHERE = `group_id = $1 and phone >= $2 and phone < $3`;
const QUERY_WHERE = `group_id = $1 and ((last_name_norm >= $2 and last_name_norm < $3) or (first_name_norm >= $2 and first_name_norm < $3)
  or (email >= $2 and email < $3) or external_id = $4)`;
// SQLite's planner is told which index holds the order's columns (as the API does).
const via = (sqlite: boolean, index: string) => (sqlite ? `customers indexed by ${index}` : "customers");
const phonePage = (sqlite: boolean) =>
  `select * from customers where id in (select id from ${via(sqlite, "customers_search_phone")} where ${PHONE_WHERE} order by ${ORDER} limit ${PAGE}) order by ${ORDER}`;
// A name's page: the first of each alternative (last name, first name, email, ExternalID) and
// the exact ExternalID, then the page of those in order.
const queryPage = (sqlite: boolean) => `select * from customers where id in (
    select id from (select id from customers where group_id = $1 and last_name_norm >= $2 and last_name_norm < $3 order by last_name_norm, first_name_norm, customer_id limit ${PAGE + 1}) a
    union all select id from (select id from customers where group_id = $1 and first_name_norm >= $2 and first_name_norm < $3 order by ${ORDER} limit ${PAGE + 1}) b
    union all select id from (select id from ${via(sqlite, "customers_search_email")} where group_id = $1 and email >= $2 and email < $3 order by ${ORDER} limit ${PAGE + 1}) c
    union all select id from (select id from customers where group_id = $1 and external_id = $4 order by ${ORDER} limit ${PAGE + 1}) d
  ) order by case when external_id = $4 then 0 else 1 end, ${ORDER} limit ${PAGE}`;

const next = (prefix: string) => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

type Run = (kind: "phone" | "query", term: string) => Promise<{ total: number; rows: unknown[] }>;

function sqliteRunner(file: string): Run {
  const db = new Database(file, { readonly: true });
  const toSqlite = (text: string) => text.replace(/\$\d/g, "?");
  const phoneCount = db.prepare(toSqlite(`select count(*) as n from customers where ${PHONE_WHERE}`));
  const phoneRows = db.prepare(toSqlite(phonePage(true)));
  const named = (text: string) => text.replace(/\$2/g, "@p").replace(/\$3/g, "@e").replace(/\$1/g, "@g").replace(/\$4/g, "@x");
  const queryCount = db.prepare(named(`select count(*) as n from customers where ${QUERY_WHERE}`));
  const queryRows = db.prepare(named(queryPage(true)));
  return async (kind, term) => {
    if (kind === "phone") {
      const args = [groupId, term, next(term)];
      return { total: (phoneCount.get(...args) as { n: number }).n, rows: phoneRows.all(...args) };
    }
    const args = { g: groupId, p: term, e: next(term), x: term };
    return { total: (queryCount.get(args) as { n: number }).n, rows: queryRows.all(args) };
  };
}

function postgresRunner(connectionString: string): Run {
  const pool = new pg.Pool({ connectionString, max: 10 });
  return async (kind, term) => {
    if (kind === "phone") {
      const args = [groupId, term, next(term)];
      const [count, rows] = await Promise.all([
        pool.query({ name: "pc", text: `select count(*) as n from customers where ${PHONE_WHERE}`, values: args }),
        pool.query({ name: "pr", text: phonePage(false), values: args }),
      ]);
      return { total: Number(count.rows[0].n), rows: rows.rows };
    }
    const args = [groupId, term, next(term), term];
    const [count, rows] = await Promise.all([
      pool.query({ name: "qc", text: `select count(*) as n from customers where ${QUERY_WHERE}`, values: args }),
      pool.query({ name: "qr", text: queryPage(false), values: args }),
    ]);
    return { total: Number(count.rows[0].n), rows: rows.rows };
  };
}

const run = url.startsWith("postgres") ? postgresRunner(url) : sqliteRunner(url.replace(/^file:/, ""));

http
  .createServer((req, res) => {
    const query = new URL(req.url ?? "/", "http://x").searchParams;
    const phone = query.get("Phone");
    const kind = phone ? "phone" : "query";
    const term = (phone ?? query.get("Query") ?? "").toLowerCase();
    run(kind, term).then(
      (result) => {
        const body = JSON.stringify(result.rows);
        res.writeHead(200, {
          "content-type": "application/json; charset=utf-8",
          "content-length": Buffer.byteLength(body),
          "x-total-count": String(result.total),
        });
        res.end(body);
      },
      (error: Error) => {
        res.writeHead(500);
        res.end(error.message);
      },
    );
  })
  .listen(port, "127.0.0.1", () => console.log(`reference search listening on ${port}`));
