// The ceiling of our own stack for the receipt write on PostgreSQL: a bare node:http server
// with a pg pool doing the same transaction as POST /v1/Receipts (insert the receipt, insert
// its lines, update the customer's statistics). Usage: reference-server-pg.ts DATABASE_URL PORT CUSTOMERS
import { randomBytes } from "node:crypto";
import http from "node:http";
import pg from "pg";

const [url, portText, countText] = process.argv.slice(2);
const port = Number(portText);
const customerCount = Number(countText ?? 10_000);
const pool = new pg.Pool({ connectionString: url, max: 10 });

await pool.query(`
  create table if not exists customers (id bigserial primary key, customer_id bigint not null unique,
    visit_count bigint not null default 0, lifetime_spend_e4 bigint not null default 0, last_visit_at bigint);
  create table if not exists receipts (id text primary key, customer_pk bigint not null references customers(id),
    location_id bigint not null, subtotal_e4 bigint not null, taxes_e4 bigint not null, total_e4 bigint not null,
    created_at bigint not null);
  create index if not exists receipts_customer on receipts(customer_pk, created_at);
  create table if not exists receipt_lines (receipt_id text not null references receipts(id), line_no integer not null,
    sku text not null, description text, amount_e4 bigint not null, quantity_e4 bigint not null, primary key (receipt_id, line_no));
  insert into customers (customer_id) select g from generate_series(1, ${customerCount}) g on conflict do nothing;
`);

const e4 = (v: number) => Math.round(v * 10_000);
type Body = { CustomerID: number; Skus: { SKU: string; Description?: string; Amount: number; Quantity: number }[]; SubTotal: number; Taxes: number; Total: number };

async function write(body: Body) {
  const client = await pool.connect();
  try {
    await client.query("begin");
    const customer = await client.query({ name: "c", text: "select id from customers where customer_id = $1", values: [body.CustomerID] });
    if (!customer.rowCount) {
      await client.query("rollback");
      return null;
    }
    const pk = customer.rows[0].id;
    const id = randomBytes(16).toString("hex");
    const now = Date.now();
    await client.query({
      name: "r",
      text: "insert into receipts (id, customer_pk, location_id, subtotal_e4, taxes_e4, total_e4, created_at) values ($1, $2, 1, $3, $4, $5, $6)",
      values: [id, pk, e4(body.SubTotal), e4(body.Taxes), e4(body.Total), now],
    });
    for (const [i, s] of body.Skus.entries()) {
      await client.query({
        name: "l",
        text: "insert into receipt_lines (receipt_id, line_no, sku, description, amount_e4, quantity_e4) values ($1, $2, $3, $4, $5, $6)",
        values: [id, i, s.SKU, s.Description ?? null, e4(s.Amount), e4(s.Quantity)],
      });
    }
    await client.query({
      name: "u",
      text: "update customers set visit_count = visit_count + 1, lifetime_spend_e4 = lifetime_spend_e4 + $1, last_visit_at = $2 where id = $3",
      values: [e4(body.Total), now, pk],
    });
    await client.query("commit");
    return { ReceiptID: id, ...body, Tip: 0, Shipping: 0, CreatedAt: new Date(now).toISOString() };
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      write(JSON.parse(Buffer.concat(chunks).toString("utf8"))).then(
        (receipt) => {
          const body = JSON.stringify(receipt);
          res.writeHead(receipt ? 201 : 400, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
          res.end(body);
        },
        (error: Error) => {
          res.writeHead(500);
          res.end(error.message);
        },
      );
    });
  })
  .listen(port, "127.0.0.1", () => console.log(`reference listening on ${port}`));
