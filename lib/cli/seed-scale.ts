// Merchant-group-scale data for benchmarks: `npm run admin -- seed-scale --customers N
// --receipts M [--locations L] [--seed S]`. One new group with L locations; N customers with
// phones, emails, names, birthdays and a consent mix; M receipts (1–3 lines each) spread over
// two years and over the locations, each customer's statistics exactly what their receipts add
// up to; one group campaign whose offers went to 5% of the customers, a fifth of them redeemed.
// Seeded: the same arguments make the same data.
//
// Rows are written in bulk, not through the API's verbs (a million verb calls would take an
// hour): SQLite through one prepared statement per table in large transactions, PostgreSQL
// through `INSERT … SELECT FROM unnest(arrays)`, thousands of rows a statement. What the verbs
// would also maintain (report summaries) is rebuilt from the rows afterwards.
import "server-only";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import type { DatabaseHandle } from "../db";
import { normalizeName } from "../engage/customers";
import { CODE_ALPHABET } from "../engage/offers";
import { rebuildReportSummaries } from "../engage/reports";
import { createGroup, createLocation } from "../engage/tenancy";

const DAY = 86_400_000;
const E4 = 10_000;

/** mulberry32: small, fast and seeded. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas", "Mia", "Mason",
  "Amelia", "Ethan", "Harper", "Logan", "Evelyn", "Aiden", "Abigail", "Jackson", "Emily", "Sebastian", "Ella",
  "Mateo", "Avery", "Jack", "Sofia", "Owen", "Camila", "Daniel", "Aria", "Henry", "Scarlett", "Wyatt", "Chloe",
  "José", "Zoë", "Renée", "Grace", "Leo", "Nora", "Levi", "Lily", "Julian", "Hannah", "Ezra", "Layla", "David",
  "Zoey", "Gabriel", "Riley", "Carter", "Penelope", "Isaac", "Victoria", "Luke", "Stella", "Anthony", "Hazel",
  "Dylan", "Aurora", "Lincoln", "Violet", "Thomas", "Lucy", "Caleb", "Anna", "Nathan", "Ellie", "Ryan",
];
export const LAST = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
  "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
  "Allen", "King", "Wright", "Scott", "Nguyen", "Torres", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker",
  "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz",
  "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers",
  "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim",
  "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza",
  "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster",
  "Jiménez", "Müller", "O'Brien",
];
const PRODUCTS: [string, string, number][] = [
  ["DOG-FOOD-30", "Grain-free dog food, 30 lb", 54.99],
  ["CAT-FOOD-12", "Salmon cat food, 12 cans", 21.49],
  ["LITTER-20", "Clumping litter, 20 lb", 17.99],
  ["TREATS-DOG", "Peanut butter dog treats", 8.99],
  ["TREATS-CAT", "Catnip crunchies", 5.49],
  ["TOY-ROPE", "Rope tug toy", 11.5],
  ["TOY-MOUSE", "Feather mouse toy", 4.25],
  ["LEASH-6FT", "Reflective leash, 6 ft", 19.95],
  ["BED-M", "Orthopedic pet bed, medium", 64.0],
  ["GROOM-BATH", "Grooming: bath and brush", 45.0],
  ["SOCKS", "AWESOME 80s Socks!", 10.5],
  ["BOWL-STEEL", "Steel bowl", 12.0],
  ["HARNESS-M", "Harness, medium", 29.99],
  ["SHAMPOO", "Oatmeal shampoo", 14.25],
];
export const AREA_CODES = ["970", "303", "720", "719", "505", "801", "602", "480", "512", "415", "212", "312", "617", "206"];
const DOMAINS = ["example.com", "mail.example", "inbox.example", "post.example"];

export interface ScaleOptions {
  customers: number;
  receipts: number;
  locations?: number;
  seed?: number;
  now?: number;
  log?: (line: string) => void;
}

export interface ScaleResult {
  GroupID: number;
  GroupKey: string;
  Locations: { LocationID: number; Name: string; Key: string }[];
  Customers: number;
  Receipts: number;
  ReceiptLines: number;
  Offers: number;
  Redeemed: number;
  Seconds: number;
}

type Value = string | number | null;

/** Bulk rows into one table: prepared statements on SQLite, unnest() batches on PostgreSQL. */
interface BulkTable {
  add(row: Value[]): Promise<void>;
  /** Writes what is left and waits until every row of the table is written. */
  flush(): Promise<void>;
  /**
   * Starts writing what is left once `after` is written, and returns without waiting for it
   * (PostgreSQL: one table's block is written while the next is made and another table's
   * written on a second connection); `written` then says when it is.
   */
  flushAfter(after?: Promise<void>): Promise<void>;
  readonly written: Promise<void>;
}

interface BulkWriter {
  table(name: string, columns: [string, "bigint" | "text" | "int"][]): BulkTable;
  close(): Promise<void>;
}

function sqliteWriter(file: string): BulkWriter {
  const raw = new BetterSqlite3(file);
  raw.pragma("journal_mode = WAL");
  // A bulk load: the seed is redone from scratch if the machine dies in the middle.
  raw.pragma("synchronous = OFF");
  raw.pragma("busy_timeout = 10000");
  raw.pragma("cache_size = -262144");
  // Rows arrive table by table in blocks; every reference is right by construction.
  raw.pragma("foreign_keys = OFF");
  const CHUNK = 50_000;
  return {
    table(name, columns) {
      const insert = raw.prepare(
        `insert into "${name}" (${columns.map(([c]) => `"${c}"`).join(", ")}) values (${columns.map(() => "?").join(", ")})`,
      );
      let rows: Value[][] = [];
      const write = raw.transaction((batch: Value[][]) => {
        for (const row of batch) insert.run(row);
      });
      const flush = async () => {
        if (rows.length) write(rows);
        rows = [];
      };
      return {
        async add(row) {
          rows.push(row);
          if (rows.length >= CHUNK) await flush();
        },
        flush,
        flushAfter: flush,
        written: Promise.resolve(),
      };
    },
    async close() {
      raw.pragma("wal_checkpoint(TRUNCATE)");
      raw.close();
    },
  };
}

function postgresWriter(handle: DatabaseHandle): BulkWriter {
  const CHUNK = 50_000; // above a block of lines: blocks are flushed explicitly, in order
  return {
    table(name, columns) {
      let rows: Value[][] = [];
      const write = async (batch: Value[][]) => {
        const arrays = columns.map((_, i) => batch.map((r) => r[i]));
        const casts = columns.map(([, type], i) => sql`${arrays[i]}::${sql.raw(type === "text" ? "text" : "bigint")}[]`);
        await sql`insert into ${sql.table(name)} (${sql.join(columns.map(([c]) => sql.ref(c)))})
          select * from unnest(${sql.join(casts)})`.execute(handle.db);
      };
      // This table's writes one after another, at most one in flight: the rows of the next are
      // made meanwhile. A failed write surfaces at the next flush (or close).
      let written: Promise<void> = Promise.resolve();
      const start = async (after: Promise<void>) => {
        const batch = rows;
        rows = [];
        await written;
        if (batch.length === 0) return;
        written = after.then(() => write(batch));
        written.catch(() => {});
      };
      return {
        async add(row) {
          rows.push(row);
          if (rows.length >= CHUNK) await start(Promise.resolve());
        },
        async flush() {
          await start(Promise.resolve());
          await written;
        },
        flushAfter: (after = Promise.resolve()) => start(after),
        get written() {
          return written;
        },
      };
    },
    async close() {},
  };
}

function receiptId(rand: () => number): string {
  let id = "";
  for (let i = 0; i < 4; i++) id += Math.floor(rand() * 0x100000000).toString(16).padStart(8, "0");
  return id;
}

function offerCode(rand: () => number): string {
  let code = "";
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[Math.floor(rand() * CODE_ALPHABET.length)];
  return code;
}

export async function seedScale(handle: DatabaseHandle, options: ScaleOptions): Promise<ScaleResult> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const N = options.customers;
  const M = options.receipts;
  const L = options.locations ?? 10;
  const seed = options.seed ?? 20261126;
  const now = options.now ?? Date.now();
  const rand = random(seed);
  const span = 730 * DAY;
  const start = now - span;

  const group = await createGroup(handle.db, { name: `Scale group (${N} customers, seed ${seed})` });
  const locations: ScaleResult["Locations"] = [];
  for (let l = 0; l < L; l++) {
    const loc = await createLocation(handle.db, { groupId: group.GroupID, name: `Store ${String(l + 1).padStart(3, "0")}` });
    locations.push({ LocationID: loc.LocationID, Name: loc.Name, Key: loc.Key });
  }
  const groupId = group.GroupID;
  // Receipt ids and offer codes are unique across groups: drawn from their own sequence,
  // seeded by the group too, so a second run with the same seed writes beside the first.
  const idRand = random((seed ^ Math.imul(groupId, 0x9e3779b1)) | 0);

  // 1. Who shops when: receipts in time order, each by a customer who had joined by then.
  // Customers join over the first 90% of the two years; early ones have had longer to shop.
  const joined = new Float64Array(N);
  const home = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    joined[i] = Math.floor(start + ((i + rand()) / N) * span * 0.9);
    home[i] = Math.floor(rand() * L);
  }
  const visits = new Int32Array(N);
  const spend = new Float64Array(N);
  const firstVisit = new Float64Array(N);
  const lastVisit = new Float64Array(N);
  const lastReceipt: (string | undefined)[] = new Array(N);

  let line = 0;
  let offerCount = 0;
  let redeemed = 0;
  const writer = handle.dialect === "sqlite" ? sqliteWriter(handle.location) : postgresWriter(handle);
  try {
    // Customers first (receipts reference them), statistics filled in afterwards in one pass
    // would cost a million updates: so plan the receipts' customers and amounts first.
    const rCustomer = new Int32Array(M);
    const rAt = new Float64Array(M);
    const rLocation = new Int32Array(M);
    const rLines = new Uint8Array(M);
    const rTotal = new Float64Array(M);
    const lineProducts: number[] = [];
    const lineQty: number[] = [];
    for (let r = 0; r < M; r++) {
      const at = Math.floor(start + span * 0.02 + ((r + rand()) / M) * span * 0.98);
      // Customers who had joined by `at`: joined[] is increasing, so a binary search.
      let lo = 0;
      let hi = N;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (joined[mid] <= at) lo = mid + 1;
        else hi = mid;
      }
      const c = Math.floor(rand() * Math.max(1, lo));
      const loc = rand() < 0.8 ? home[c] : Math.floor(rand() * L);
      const lines = 1 + Math.floor(rand() * rand() * 3);
      let subtotal = 0;
      for (let k = 0; k < lines; k++) {
        const p = Math.floor(rand() * PRODUCTS.length);
        const qty = rand() < 0.85 ? 1 : 2;
        lineProducts.push(p);
        lineQty.push(qty);
        subtotal += Math.round(PRODUCTS[p][2] * E4) * qty;
      }
      const taxes = Math.round((subtotal * 0.08) / 100) * 100;
      rCustomer[r] = c;
      rAt[r] = at;
      rLocation[r] = loc;
      rLines[r] = lines;
      rTotal[r] = subtotal + taxes;
      visits[c]++;
      spend[c] += subtotal + taxes;
      if (!firstVisit[c]) firstVisit[c] = at;
      lastVisit[c] = at;
    }
    log(`planned ${M} receipts in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // 2. Customers.
    const customers = writer.table("customers", [
      ["group_id", "bigint"], ["customer_id", "bigint"], ["external_id", "text"], ["phone", "text"],
      ["phone_last4", "text"], ["email", "text"], ["first_name", "text"], ["last_name", "text"],
      ["first_name_norm", "text"], ["last_name_norm", "text"], ["city", "text"], ["state", "text"],
      ["zipcode", "text"], ["birthday", "text"], ["accepts_sms", "int"], ["accepts_email", "int"],
      ["registered_location_id", "bigint"], ["created_at", "bigint"], ["updated_at", "bigint"],
      ["visit_count", "bigint"], ["lifetime_spend_e4", "bigint"], ["first_visit_at", "bigint"], ["last_visit_at", "bigint"],
    ]);
    for (let i = 0; i < N; i++) {
      const first = FIRST[Math.floor(rand() * FIRST.length)];
      const last = LAST[Math.floor(rand() * LAST.length)];
      // (i × 7919) mod 10^7 is a bijection on 0…10^7−1: unique local numbers, scattered.
      const phone = rand() < 0.9 ? `${AREA_CODES[i % AREA_CODES.length]}${String((i * 7919 + 1_234_567) % 10_000_000).padStart(7, "0")}` : null;
      const email = rand() < 0.8 || !phone ? `${normalizeName(first)}.${normalizeName(last)!.replace(/[^a-z]/g, "")}${i + 1}@${DOMAINS[i % DOMAINS.length]}` : null;
      const year = 1950 + Math.floor(rand() * 55);
      const month = 1 + Math.floor(rand() * 12);
      const dayOfMonth = 1 + Math.floor(rand() * 28);
      const birthday = rand() < 0.7 ? `${year}-${String(month).padStart(2, "0")}-${String(dayOfMonth).padStart(2, "0")}` : null;
      await customers.add([
        groupId, i + 1, rand() < 0.1 ? `POS-${i + 1}` : null, phone, phone ? phone.slice(-4) : null, email,
        first, last, normalizeName(first), normalizeName(last), "Durango", "CO", "81301", birthday,
        phone && rand() < 0.65 ? 1 : 0, email && rand() < 0.45 ? 1 : 0, locations[home[i]].LocationID,
        joined[i], joined[i], visits[i], spend[i], firstVisit[i] || null, lastVisit[i] || null,
      ]);
    }
    await customers.flush();
    await sql`update ${sql.table("groups")} set customer_seq = ${N} where id = ${groupId}`.execute(handle.db);
    log(`customers written at ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // Their primary keys, in CustomerID order.
    const pk = new Float64Array(N);
    const ids = await handle.db
      .selectFrom("customers")
      .select(["id", "customer_id"])
      .where("group_id", "=", groupId)
      .execute();
    for (const row of ids) pk[row.customer_id - 1] = row.id;

    // 3. Receipts and their lines.
    const receipts = writer.table("receipts", [
      ["id", "text"], ["group_id", "bigint"], ["location_id", "bigint"], ["customer_pk", "bigint"],
      ["customer_id", "bigint"], ["subtotal_e4", "bigint"], ["taxes_e4", "bigint"], ["tip_e4", "bigint"],
      ["shipping_e4", "bigint"], ["total_e4", "bigint"], ["created_at", "bigint"],
    ]);
    const lines = writer.table("receipt_lines", [
      ["receipt_id", "text"], ["line_no", "int"], ["sku", "text"], ["description", "text"], ["amount_e4", "bigint"], ["quantity_e4", "bigint"],
    ]);
    line = 0;
    for (let r = 0; r < M; r++) {
      const id = receiptId(idRand);
      const c = rCustomer[r];
      let subtotal = 0;
      for (let k = 0; k < rLines[r]; k++, line++) {
        const [sku, description, price] = PRODUCTS[lineProducts[line]];
        const amount = Math.round(price * E4);
        subtotal += amount * lineQty[line];
        await lines.add([id, k + 1, sku, description, amount, lineQty[line] * E4]);
      }
      await receipts.add([
        id, groupId, locations[rLocation[r]].LocationID, pk[c], c + 1, subtotal, rTotal[r] - subtotal, 0, 0, rTotal[r], rAt[r],
      ]);
      lastReceipt[c] = id;
      // A block's receipts before its lines (PostgreSQL checks the lines' foreign key): the lines
      // are written once their receipts are, beside the next block's receipts.
      if (r % 10_000 === 9_999) {
        await receipts.flushAfter();
        await lines.flushAfter(receipts.written);
      }
      if (r % 500_000 === 499_999) log(`${r + 1} receipts at ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    await receipts.flush();
    await lines.flush();
    log(`receipts written at ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // 4. A group campaign a month ago: offers to 5% of the customers, a fifth redeemed.
    const campaignAt = now - 30 * DAY;
    const campaign = await handle.db
      .insertInto("campaigns")
      .values({
        group_id: groupId,
        location_id: null,
        template_name: "manual",
        is_location_specific: 0,
        amount_off_e4: 5 * E4,
        minimum_purchase_e4: 25 * E4,
        days_till_expiration: 60,
        name: "Spring thank-you",
        message: null,
        created_at: campaignAt,
        created_by_key_id: group.KeyID,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const offers = writer.table("offers", [
      ["group_id", "bigint"], ["campaign_id", "bigint"], ["customer_pk", "bigint"], ["customer_id", "bigint"],
      ["code", "text"], ["template_name", "text"], ["amount_off_e4", "bigint"], ["minimum_purchase_e4", "bigint"],
      ["is_location_specific", "int"], ["location_id", "bigint"], ["created_at", "bigint"], ["expires_at", "bigint"],
      ["redeemed_at", "bigint"], ["redeemed_receipt_id", "text"], ["redeemed_location_id", "bigint"], ["trigger_key", "text"],
    ]);
    const codes = new Set<string>();
    for (let i = 0; i < N; i++) {
      if (rand() >= 0.05) continue;
      let code = offerCode(idRand);
      while (codes.has(code)) code = offerCode(idRand);
      codes.add(code);
      const redeem = lastReceipt[i] !== undefined && lastVisit[i] >= campaignAt && rand() < 0.2;
      await offers.add([
        groupId, campaign.id, pk[i], i + 1, code, "manual", 5 * E4, 25 * E4, 0, null, campaignAt, campaignAt + 60 * DAY,
        redeem ? lastVisit[i] : null, redeem ? lastReceipt[i]! : null, redeem ? locations[home[i]].LocationID : null,
        `campaign:${campaign.id}:customer:${pk[i]}`,
      ]);
      offerCount++;
      if (redeem) redeemed++;
    }
    await offers.flush();
  } finally {
    await writer.close();
  }
  // What submitReceipt keeps up to date row by row: the reports' daily summaries.
  await rebuildReportSummaries(handle.db, groupId);
  log(`report summaries rebuilt at ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // Fresh statistics, so the planners pick the indexes at this size; on PostgreSQL the customers'
  // visibility map too (VACUUM), or every index-only search reads the table's rows anyway until
  // autovacuum comes by (and this machine's server runs without it).
  if (handle.dialect === "postgres") await sql`vacuum analyze customers`.execute(handle.db);
  await sql`analyze`.execute(handle.db);

  return {
    GroupID: groupId,
    GroupKey: group.Key,
    Locations: locations,
    Customers: N,
    Receipts: M,
    ReceiptLines: line,
    Offers: offerCount,
    Redeemed: redeemed,
    Seconds: (Date.now() - started) / 1000,
  };
}
