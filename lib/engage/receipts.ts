// Receipts (ENGAGE_API.md §4): a sale, submitted by the POS. One transaction stores it,
// updates the customer's statistics and redeems the offers its discounts name.
import "server-only";
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { prepared } from "../db/prepared";
import type { ReceiptRow } from "../db/schema";
import { inTransaction, iso, type EngageContext } from "./context";
import { requireCustomerRow } from "./customers";
import { invalidField, notFound } from "./errors";
import { receiptAutomationsOn, runReceiptAutomations } from "./automations";
import { findOfferByCode, offerStatus, serializeOffer, type Offer } from "./offers";
import { recordReceipt, unrecordReceipt } from "./reports";
import { fromE4, toE4 } from "./schemas/fields";
import { DEFAULT_PAGE_SIZE } from "./schemas/query";
import type { ReceiptInput, Redemption } from "./schemas/receipt";

export interface Receipt {
  ReceiptID: string;
  CustomerID: number;
  LocationID: number;
  Skus: { SKU: string; Description: string | null; Amount: number; Quantity: number }[];
  Discounts: { Code: string | null; Description: string | null; Amount: number }[];
  SubTotal: number;
  Taxes: number;
  Tip: number;
  Shipping: number;
  Total: number;
  CreatedAt: string;
  Voided: boolean;
  VoidedAt: string | null;
  Redemptions: Redemption[];
  Offers: Offer[];
}

/** Why a discount's code did not redeem its offer. Stable: POS systems may branch on them. */
export type RejectionReason =
  | "UnknownCode"
  | "NotThisCustomer"
  | "AlreadyRedeemed"
  | "Expired"
  | "NotThisLocation"
  | "BelowMinimumPurchase";

const e4 = (v: number | null | undefined) => (v == null ? 0 : toE4(v)!);

const findLocation = prepared((db, p: { id: number; groupId: number }) =>
  db.selectFrom("locations").select("id").where("id", "=", p.id).where("group_id", "=", p.groupId),
);

async function resolveLocation(ctx: EngageContext, requested: number | null | undefined): Promise<number> {
  // A location key's receipts are its own location's: the body cannot say otherwise.
  if (ctx.scope.locationId !== null) return ctx.scope.locationId;
  if (requested == null) throw invalidField("LocationID", "is required with a group key");
  const location = await findLocation.first(ctx.db, { id: requested, groupId: ctx.scope.groupId });
  if (!location) throw invalidField("LocationID", "is not a location of this group");
  return location.id;
}

// The receipt's statements, built once (lib/db/prepared.ts): a POS sends receipts all day.
const findCustomer = prepared((db, p: { groupId: number; customerId: number; locationId: number }) =>
  db
    .selectFrom("customers")
    .select((eb) => ["id", "customer_id", receiptAutomationsOn(eb, p.groupId, p.locationId).as("automated")])
    .where("group_id", "=", p.groupId)
    .where("customer_id", "=", p.customerId)
    .where("erased_at", "is", null),
);

const insertReceipt = prepared((db, p: ReceiptRow) =>
  db.insertInto("receipts").values({
    id: p.id,
    group_id: p.group_id,
    location_id: p.location_id,
    customer_pk: p.customer_pk,
    customer_id: p.customer_id,
    subtotal_e4: p.subtotal_e4,
    taxes_e4: p.taxes_e4,
    tip_e4: p.tip_e4,
    shipping_e4: p.shipping_e4,
    total_e4: p.total_e4,
    created_at: p.created_at,
    voided_at: p.voided_at,
  }),
);

type LineRow = { receipt_id: string; line_no: number; sku: string; description: string | null; amount_e4: number; quantity_e4: number };
/** One INSERT of n lines, for the usual receipt sizes; larger ones are built as they come. */
const insertLinesOf: ReturnType<typeof prepareLines>[] = [];
const MAX_PREPARED_LINES = 16;
function prepareLines(n: number) {
  return prepared((db, p: Record<string, string | number | null>) =>
    db.insertInto("receipt_lines").values(
      Array.from({ length: n }, (_, i) => ({
        receipt_id: p[`receipt_id${i}`] as string,
        line_no: p[`line_no${i}`] as number,
        sku: p[`sku${i}`] as string,
        description: p[`description${i}`] as string | null,
        amount_e4: p[`amount_e4${i}`] as number,
        quantity_e4: p[`quantity_e4${i}`] as number,
      })),
    ),
  );
}

async function insertLines(ctx: EngageContext, lines: LineRow[]): Promise<void> {
  if (lines.length > MAX_PREPARED_LINES) {
    await ctx.db.insertInto("receipt_lines").values(lines).execute();
    return;
  }
  const values: Record<string, string | number | null> = {};
  lines.forEach((line, i) => {
    for (const [column, value] of Object.entries(line)) values[`${column}${i}`] = value;
  });
  await (insertLinesOf[lines.length] ??= prepareLines(lines.length)).run(ctx.db, values);
}

/** Counts the receipt in the customer's statistics; reads them back under the row's lock. */
const countVisit = prepared((db, p: { totalE4: number; now: number; pk: number }) =>
  db
    .updateTable("customers")
    .set((eb) => ({
      visit_count: eb("visit_count", "+", 1),
      lifetime_spend_e4: eb("lifetime_spend_e4", "+", p.totalE4),
      // Earliest and latest, not this receipt's: concurrent receipts may commit out of order.
      first_visit_at: eb
        .case()
        .when(eb.or([eb("first_visit_at", "is", null), eb("first_visit_at", ">", p.now)]))
        .then(eb.val(p.now))
        .else(eb.ref("first_visit_at"))
        .end(),
      last_visit_at: eb
        .case()
        .when(eb.or([eb("last_visit_at", "is", null), eb("last_visit_at", "<", p.now)]))
        .then(eb.val(p.now))
        .else(eb.ref("last_visit_at"))
        .end(),
    }))
    .where("id", "=", p.pk)
    .returning(["visit_count", "lifetime_spend_e4"]),
);

export async function submitReceipt({ ctx, input }: { ctx: EngageContext; input: ReceiptInput }): Promise<Receipt> {
  return inTransaction(ctx, async (tx) => {
    const now = tx.now();
    const locationId = await resolveLocation(tx, input.LocationID);
    const customer = await findCustomer.first(tx.db, { groupId: tx.scope.groupId, customerId: input.CustomerID, locationId });
    if (!customer) throw invalidField("CustomerID", `no registered customer has CustomerID ${input.CustomerID}`);

    const receipt: ReceiptRow = {
      id: randomBytes(16).toString("hex"),
      group_id: tx.scope.groupId,
      location_id: locationId,
      customer_pk: customer.id,
      customer_id: customer.customer_id,
      subtotal_e4: e4(input.SubTotal),
      taxes_e4: e4(input.Taxes),
      tip_e4: e4(input.Tip),
      shipping_e4: e4(input.Shipping),
      total_e4: e4(input.Total),
      created_at: now,
      voided_at: null,
    };
    await insertReceipt.run(tx.db, receipt);
    await insertLines(
      tx,
      input.Skus.map((s, i) => ({
        receipt_id: receipt.id,
        line_no: i,
        sku: s.SKU,
        description: s.Description ?? null,
        amount_e4: e4(s.Amount),
        quantity_e4: e4(s.Quantity),
      })),
    );

    const redemptions: Redemption[] = [];
    const discounts = input.Discounts ?? [];
    const discountRows = [];
    for (const [i, d] of discounts.entries()) {
      let redemption: Redemption | null = null;
      if (d.Code) {
        redemption = await redeem(tx, d.Code, customer.id, locationId, receipt, now);
        redemptions.push(redemption);
      }
      discountRows.push({
        receipt_id: receipt.id,
        line_no: i,
        code: d.Code ?? null,
        description: d.Description ?? null,
        amount_e4: e4(d.Amount),
        offer_id: redemption?.OfferID ?? null,
        redemption_status: redemption?.Status ?? null,
        redemption_reason: redemption?.Reason ?? null,
      });
    }
    if (discountRows.length > 0) await tx.db.insertInto("receipt_discounts").values(discountRows).execute();

    // Read under the row lock the update took: concurrent receipts of one customer each see
    // their own visit count, so "the first receipt" and "the Nth visit" are each one receipt.
    const counted = await countVisit.first(tx.db, { totalE4: receipt.total_e4, now, pk: customer.id });
    if (!counted) throw new Error(`customer ${customer.id} vanished`);
    // Reports: this day's summary at this location, in this transaction (lib/engage/reports.ts).
    // A new receipt's id is named by the offers it redeemed just now, and by no other.
    await recordReceipt(tx, receipt, { redeemedNone: !redemptions.some((r) => r.Status === "Redeemed") });

    // Automated campaigns (ENGAGE_API.md §7): the offers this receipt spawns, for the POS to print.
    const spawned = await runReceiptAutomations(tx, {
      automated: Boolean(customer.automated),
      receiptId: receipt.id,
      locationId,
      customerPk: customer.id,
      customerId: customer.customer_id,
      totalE4: receipt.total_e4,
      visitCount: counted.visit_count,
      lifetimeSpendE4: counted.lifetime_spend_e4,
    });
    const offers = spawned.map((o) => serializeOffer(o, now));
    return serializeReceipt(receipt, input.Skus, discounts, redemptions, offers);
  });
}

async function redeem(
  ctx: EngageContext,
  code: string,
  customerPk: number,
  locationId: number,
  receipt: ReceiptRow,
  now: number,
): Promise<Redemption> {
  const offer = await findOfferByCode(ctx, code);
  const reject = (reason: RejectionReason): Redemption => ({
    Code: code,
    OfferID: offer?.id ?? null,
    Status: "Rejected",
    Reason: reason,
  });
  if (!offer) return reject("UnknownCode");
  if (offer.customer_pk !== customerPk) return reject("NotThisCustomer");
  const status = offerStatus(offer, now);
  if (status === "Redeemed") return reject("AlreadyRedeemed");
  if (status === "Expired") return reject("Expired");
  if (offer.is_location_specific === 1 && offer.location_id !== locationId) return reject("NotThisLocation");
  if (receipt.subtotal_e4 < offer.minimum_purchase_e4) return reject("BelowMinimumPurchase");
  // The condition on redeemed_at makes concurrent receipts redeem an offer once.
  const result = await ctx.db
    .updateTable("offers")
    .set({ redeemed_at: now, redeemed_receipt_id: receipt.id, redeemed_location_id: locationId })
    .where("id", "=", offer.id)
    .where("redeemed_at", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return reject("AlreadyRedeemed");
  return { Code: code, OfferID: offer.id, Status: "Redeemed", Reason: null };
}

function serializeReceipt(
  row: ReceiptRow,
  skus: { SKU: string; Description?: string | null; Amount: number; Quantity: number }[],
  discounts: { Code?: string | null; Description?: string | null; Amount?: number | null }[],
  redemptions: Redemption[],
  offers: Offer[],
): Receipt {
  return {
    ReceiptID: row.id,
    CustomerID: row.customer_id,
    LocationID: row.location_id,
    Skus: skus.map((s) => ({ SKU: s.SKU, Description: s.Description ?? null, Amount: s.Amount, Quantity: s.Quantity })),
    Discounts: discounts.map((d) => ({ Code: d.Code ?? null, Description: d.Description ?? null, Amount: d.Amount ?? 0 })),
    SubTotal: fromE4(row.subtotal_e4),
    Taxes: fromE4(row.taxes_e4),
    Tip: fromE4(row.tip_e4),
    Shipping: fromE4(row.shipping_e4),
    Total: fromE4(row.total_e4),
    CreatedAt: iso(row.created_at)!,
    Voided: row.voided_at !== null,
    VoidedAt: iso(row.voided_at),
    Redemptions: redemptions,
    Offers: offers,
  };
}

/** Receipts with their lines, discounts and redemptions, in the order given. */
async function loadReceipts(ctx: EngageContext, rows: ReceiptRow[]): Promise<Receipt[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const now = ctx.now();
  const [lines, discounts, spawned] = await Promise.all([
    ctx.db.selectFrom("receipt_lines").selectAll().where("receipt_id", "in", ids).orderBy("line_no").execute(),
    ctx.db.selectFrom("receipt_discounts").selectAll().where("receipt_id", "in", ids).orderBy("line_no").execute(),
    // The offers each receipt's automations spawned (its submission's Offers), as they are now.
    ctx.db.selectFrom("offers").selectAll().where("source_receipt_id", "in", ids).orderBy("id").execute(),
  ]);
  return rows.map((row) => {
    const own = discounts.filter((d) => d.receipt_id === row.id);
    return serializeReceipt(
      row,
      lines
        .filter((l) => l.receipt_id === row.id)
        .map((l) => ({ SKU: l.sku, Description: l.description, Amount: fromE4(l.amount_e4), Quantity: fromE4(l.quantity_e4) })),
      own.map((d) => ({ Code: d.code, Description: d.description, Amount: fromE4(d.amount_e4) })),
      own
        .filter((d) => d.redemption_status !== null)
        .map((d) => ({ Code: d.code!, OfferID: d.offer_id, Status: d.redemption_status!, Reason: d.redemption_reason })),
      spawned.filter((o) => o.source_receipt_id === row.id).map((o) => serializeOffer(o, now)),
    );
  });
}

/** A receipt the key may see: a location key sees only its own location's. */
async function requireVisibleReceipt(ctx: EngageContext, receiptId: string): Promise<ReceiptRow> {
  const id = receiptId.toLowerCase();
  let q = ctx.db.selectFrom("receipts").selectAll().where("id", "=", id).where("group_id", "=", ctx.scope.groupId);
  if (ctx.scope.locationId !== null) q = q.where("location_id", "=", ctx.scope.locationId);
  const row = /^[0-9a-f]{32}$/.test(id) ? await q.executeTakeFirst() : undefined;
  if (!row) throw notFound(`Receipt ${receiptId}`);
  return row;
}

export async function getReceipt({ ctx, receiptId }: { ctx: EngageContext; receiptId: string }): Promise<Receipt> {
  const [receipt] = await loadReceipts(ctx, [await requireVisibleReceipt(ctx, receiptId)]);
  return receipt;
}

export interface ReceiptSearch {
  CustomerID?: number;
  LocationID?: number;
  From?: string;
  To?: string;
  SKU?: string;
  MinTotal?: number;
  MaxTotal?: number;
  Page?: number;
  PageSize?: number;
}

/** The start of From, and the end of To: a bare date covers its whole day (UTC). */
function bound(value: string, end: boolean): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00Z`) + (end ? 86_400_000 : 0);
  return Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`) + (end ? 1 : 0);
}

export async function searchReceipts({
  ctx,
  search,
  customerPk,
}: {
  ctx: EngageContext;
  search: ReceiptSearch;
  customerPk?: number;
}): Promise<{ items: Receipt[]; total: number; page: number; pageSize: number }> {
  const page = search.Page ?? 1;
  const pageSize = search.PageSize ?? DEFAULT_PAGE_SIZE;
  let q = ctx.db.selectFrom("receipts").where("group_id", "=", ctx.scope.groupId);
  if (ctx.scope.locationId !== null) q = q.where("location_id", "=", ctx.scope.locationId);
  else if (search.LocationID !== undefined) q = q.where("location_id", "=", search.LocationID);
  if (customerPk !== undefined) q = q.where("customer_pk", "=", customerPk);
  if (search.CustomerID !== undefined) q = q.where("customer_id", "=", search.CustomerID);
  if (search.From) q = q.where("created_at", ">=", bound(search.From, false));
  if (search.To) q = q.where("created_at", "<", bound(search.To, true));
  if (search.MinTotal !== undefined) q = q.where("total_e4", ">=", e4(search.MinTotal));
  if (search.MaxTotal !== undefined) q = q.where("total_e4", "<=", e4(search.MaxTotal));
  if (search.SKU) {
    const sku = search.SKU;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("receipt_lines")
          .select(sql`1`.as("one"))
          .whereRef("receipt_lines.receipt_id", "=", "receipts.id")
          .where("receipt_lines.sku", "=", sku),
      ),
    );
  }
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    q
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
  ]);
  return { items: await loadReceipts(ctx, rows), total: Number(count.n), page, pageSize };
}

export async function listCustomerReceipts({
  ctx,
  customerId,
  search,
}: {
  ctx: EngageContext;
  customerId: number;
  search: ReceiptSearch;
}) {
  const customer = await requireCustomerRow(ctx, customerId);
  return searchReceipts({ ctx, search: { Page: search.Page, PageSize: search.PageSize }, customerPk: customer.id });
}

/**
 * A return or a voided sale: the receipt stays, marked Voided; the customer's statistics no
 * longer count it; offers it redeemed are no longer redeemed: Active again, or Expired when
 * their time has passed (never pointing at a sale that did not happen). Idempotent.
 */
export async function voidReceipt({ ctx, receiptId }: { ctx: EngageContext; receiptId: string }): Promise<Receipt> {
  return inTransaction(ctx, async (tx) => {
    const row = await requireVisibleReceipt(tx, receiptId);
    if (row.voided_at === null) {
      const now = tx.now();
      const voided = await tx.db
        .updateTable("receipts")
        .set({ voided_at: now })
        .where("id", "=", row.id)
        .where("voided_at", "is", null)
        .executeTakeFirst();
      if (Number(voided.numUpdatedRows) === 1) {
        row.voided_at = now;
        await tx.db
          .updateTable("customers")
          .set((eb) => ({
            visit_count: eb("visit_count", "-", 1),
            lifetime_spend_e4: eb("lifetime_spend_e4", "-", row.total_e4),
            updated_at: now,
          }))
          .where("id", "=", row.customer_pk)
          .execute();
        // A statement of its own, after the one above locked the customer: on PostgreSQL its
        // snapshot then includes every receipt committed by a concurrent submit.
        const remaining = tx.db
          .selectFrom("receipts")
          .where("customer_pk", "=", row.customer_pk)
          .where("voided_at", "is", null);
        await tx.db
          .updateTable("customers")
          .set({
            first_visit_at: remaining.select((e) => e.fn.min("created_at").as("t")),
            last_visit_at: remaining.select((e) => e.fn.max("created_at").as("t")),
          })
          .where("id", "=", row.customer_pk)
          .execute();
        // Out of the reports' summary, while the offers still say this receipt redeemed them.
        await unrecordReceipt(tx, row);
        await tx.db
          .updateTable("offers")
          .set({ redeemed_at: null, redeemed_receipt_id: null, redeemed_location_id: null })
          .where("redeemed_receipt_id", "=", row.id)
          .execute();
      } else {
        // A concurrent void won the race (PostgreSQL): answer with the receipt as it voided it.
        const current = await tx.db.selectFrom("receipts").select("voided_at").where("id", "=", row.id).executeTakeFirstOrThrow();
        row.voided_at = current.voided_at;
      }
    }
    const [receipt] = await loadReceipts(tx, [row]);
    return receipt;
  });
}

