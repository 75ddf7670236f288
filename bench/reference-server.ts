// The ceiling of our own stack for the receipt write: a bare node:http server with
// better-sqlite3 prepared statements, doing the same transaction as POST /v1/Receipts
// (insert the receipt, insert its lines, update the customer's statistics), with the same
// durability (WAL, synchronous=FULL). No validation beyond what the work needs.
import { randomBytes } from "node:crypto";
import http from "node:http";
import Database from "better-sqlite3";

const file = process.argv[2];
const port = Number(process.argv[3] ?? 3901);
const db = new Database(file);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = FULL");
db.pragma("foreign_keys = ON");
db.exec(`
  create table if not exists customers (id integer primary key, customer_id integer not null unique,
    visit_count integer not null default 0, lifetime_spend_e4 integer not null default 0, last_visit_at integer);
  create table if not exists receipts (id text primary key, customer_pk integer not null references customers(id),
    location_id integer not null, subtotal_e4 integer not null, taxes_e4 integer not null, total_e4 integer not null,
    created_at integer not null);
  create index if not exists receipts_customer on receipts(customer_pk, created_at);
  create table if not exists receipt_lines (receipt_id text not null references receipts(id), line_no integer not null,
    sku text not null, description text, amount_e4 integer not null, quantity_e4 integer not null, primary key (receipt_id, line_no));
`);
const customerCount = Number(process.argv[4] ?? 10_000);
const existing = (db.prepare("select count(*) n from customers").get() as { n: number }).n;
if (existing < customerCount) {
  const insert = db.prepare("insert into customers (customer_id) values (?)");
  db.transaction(() => {
    for (let i = existing + 1; i <= customerCount; i++) insert.run(i);
  })();
}
const findCustomer = db.prepare("select id from customers where customer_id = ?");
const insertReceipt = db.prepare(
  "insert into receipts (id, customer_pk, location_id, subtotal_e4, taxes_e4, total_e4, created_at) values (?, ?, ?, ?, ?, ?, ?)",
);
const insertLine = db.prepare(
  "insert into receipt_lines (receipt_id, line_no, sku, description, amount_e4, quantity_e4) values (?, ?, ?, ?, ?, ?)",
);
const updateCustomer = db.prepare(
  "update customers set visit_count = visit_count + 1, lifetime_spend_e4 = lifetime_spend_e4 + ?, last_visit_at = ? where id = ?",
);
const e4 = (v: number) => Math.round(v * 10_000);
const write = db.transaction((body: { CustomerID: number; Skus: { SKU: string; Description?: string; Amount: number; Quantity: number }[]; SubTotal: number; Taxes: number; Total: number }) => {
  const customer = findCustomer.get(body.CustomerID) as { id: number } | undefined;
  if (!customer) return null;
  const id = randomBytes(16).toString("hex");
  const now = Date.now();
  insertReceipt.run(id, customer.id, 1, e4(body.SubTotal), e4(body.Taxes), e4(body.Total), now);
  body.Skus.forEach((s, i) => insertLine.run(id, i, s.SKU, s.Description ?? null, e4(s.Amount), e4(s.Quantity)));
  updateCustomer.run(e4(body.Total), now, customer.id);
  return { ReceiptID: id, ...body, Tip: 0, Shipping: 0, CreatedAt: new Date(now).toISOString() };
});

http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const receipt = write(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      const body = JSON.stringify(receipt);
      res.writeHead(receipt ? 201 : 400, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
  })
  .listen(port, "127.0.0.1", () => console.log(`reference listening on ${port}`));
