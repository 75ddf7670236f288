// Customers' data rights [extension]: a copy of everything Engage holds about one customer,
// and erasure. Erasing removes the personal data from every table that holds it, in one
// transaction, and keeps what the books need (receipts and their amounts, offers, statistics)
// under a CustomerID that is never handed out again. Group key only: a store cannot do either.
import "server-only";
import { sql } from "kysely";
import type { ConsentChange } from "./customers";
import { erasedCustomerIdConflict, listConsentHistory, requireCustomerRow, serializeCustomer } from "./customers";
import { inTransaction, isGroupKey, iso, type EngageContext } from "./context";
import { forbidden } from "./errors";
import { listCustomerOffers, type Offer } from "./offers";
import { searchReceipts, type Receipt } from "./receipts";
import type { Customer } from "./schemas/customer";
import { MAX_PAGE_SIZE } from "./schemas/query";

export interface CustomerNotification {
  NotificationID: number;
  OfferID: number;
  CampaignID: number | null;
  Channel: string;
  Recipient: string | null;
  Status: string;
  CreatedAt: string;
  SentAt: string | null;
}

export interface CustomerExport {
  ExportedAt: string;
  Customer: Customer;
  ConsentHistory: ConsentChange[];
  Receipts: Receipt[];
  Offers: Offer[];
  Notifications: CustomerNotification[];
}

export interface ErasedCustomer {
  CustomerID: number;
  ErasedAt: string;
  /** True when the customer had been erased before: nothing changed now. */
  AlreadyErased: boolean;
  /** Receipts kept for the books, their amounts unchanged. */
  ReceiptsKept: number;
}

function requireGroupKey(ctx: EngageContext, what: string): void {
  if (!isGroupKey(ctx.scope)) throw forbidden(`Only the group key may ${what} a customer's data.`);
}

/** Everything Engage holds about the customer, as JSON (GET /v1/Customers/{CustomerID}/Export). */
export async function exportCustomer({ ctx, customerId }: { ctx: EngageContext; customerId: number }): Promise<CustomerExport> {
  requireGroupKey(ctx, "export");
  return inTransaction(ctx, async (tx) => {
    const row = await requireCustomerRow(tx, customerId);
    const receipts: Receipt[] = [];
    for (let page = 1; ; page++) {
      const result = await searchReceipts({ ctx: tx, search: { Page: page, PageSize: MAX_PAGE_SIZE }, customerPk: row.id });
      receipts.push(...result.items);
      if (page * MAX_PAGE_SIZE >= result.total) break;
    }
    const notifications = await tx.db
      .selectFrom("notifications")
      .select(["id", "offer_id", "campaign_id", "channel", "recipient", "status", "created_at", "sent_at"])
      .where("group_id", "=", tx.scope.groupId)
      .where("customer_pk", "=", row.id)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute();
    return {
      ExportedAt: iso(tx.now())!,
      Customer: serializeCustomer(row),
      ConsentHistory: await listConsentHistory({ ctx: tx, customerId }),
      Receipts: receipts,
      Offers: await listCustomerOffers({ ctx: tx, customerPk: row.id }),
      Notifications: notifications.map((n) => ({
        NotificationID: n.id,
        OfferID: n.offer_id,
        CampaignID: n.campaign_id,
        Channel: n.channel,
        Recipient: n.recipient,
        Status: n.status,
        CreatedAt: iso(n.created_at)!,
        SentAt: iso(n.sent_at),
      })),
    };
  });
}

/** A LIKE pattern matching text that contains `value` as JSON writes it inside a string. */
function containsPattern(value: string): string {
  return `%${JSON.stringify(value).slice(1, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Erases the customer's personal data (POST /v1/Customers/{CustomerID}/Erase): names, phone,
 * email, address, birthday, the POS's id and the search columns derived from them; the
 * recipients and delivery errors of their notifications; stored idempotent responses that echo
 * them (replaced by the refusal a registration with this CustomerID now gets). Receipts, offers,
 * consent history and statistics stay. Erasing twice changes nothing.
 */
export async function eraseCustomer({ ctx, customerId }: { ctx: EngageContext; customerId: number }): Promise<ErasedCustomer> {
  requireGroupKey(ctx, "erase");
  return inTransaction(ctx, async (tx) => {
    const groupId = tx.scope.groupId;
    let q = tx.db.selectFrom("customers").selectAll().where("group_id", "=", groupId).where("customer_id", "=", customerId);
    // Another erasure or an update of the same customer waits for this one (PostgreSQL; SQLite writes one at a time).
    if (tx.dialect === "postgres") q = q.forUpdate();
    const row = await q.executeTakeFirst();
    if (!row) await requireCustomerRow(tx, customerId); // the 404 every other verb answers
    const receipts = await tx.db
      .selectFrom("receipts")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("customer_pk", "=", row!.id)
      .executeTakeFirstOrThrow();
    if (row!.erased_at !== null) {
      return { CustomerID: customerId, ErasedAt: iso(row!.erased_at)!, AlreadyErased: true, ReceiptsKept: Number(receipts.n) };
    }
    const now = tx.now();
    const personal = [row!.phone, row!.email, row!.first_name, row!.last_name, row!.external_id, row!.address].filter(
      (v): v is string => typeof v === "string" && v.trim().length >= 3,
    );

    await tx.db
      .updateTable("customers")
      .set({
        external_id: null,
        phone: null,
        phone_last4: null,
        email: null,
        first_name: null,
        last_name: null,
        first_name_norm: null,
        last_name_norm: null,
        address: null,
        city: null,
        state: null,
        zipcode: null,
        birthday: null,
        accepts_sms: 0,
        accepts_email: 0,
        erased_at: now,
        updated_at: now,
      })
      .where("id", "=", row!.id)
      .execute();

    // The consent history stays as it is: when consent was given or withdrawn, and by which key,
    // staff user or system ("SMS reply"); it names no one, and it is the proof of consent.

    // Messages stay as a record that they were sent, without where to; delivery errors may quote the address.
    await tx.db
      .updateTable("notification_attempts")
      .set({ error: null })
      .where("notification_id", "in", (eb) => eb.selectFrom("notifications").select("id").where("customer_pk", "=", row!.id))
      .execute();
    await tx.db
      .updateTable("notifications")
      .set({ recipient: null, last_error: null, status: sql<"NotSent">`case when status = 'Pending' then 'NotSent' else status end`, reason: sql<string | null>`case when status = 'Pending' then 'CustomerErased' else reason end` })
      .where("customer_pk", "=", row!.id)
      .execute();

    // A stored response to a registration echoes the customer. It becomes the refusal a new
    // registration with this CustomerID gets, so a retry of that request within the window
    // still creates nothing, and says why.
    if (personal.length > 0) {
      const refusal = erasedCustomerIdConflict(customerId);
      await tx.db
        .updateTable("idempotency_keys")
        .set({
          status_code: refusal.status,
          response_headers: JSON.stringify({ "content-type": "application/json; charset=utf-8" }),
          response_body: JSON.stringify({ Message: refusal.message, Code: refusal.code, ModelState: refusal.modelState, ...refusal.extra }),
        })
        .where("key_id", "in", (eb) => eb.selectFrom("api_keys").select("id").where("group_id", "=", groupId))
        .where((eb) => eb.or(personal.map((value) => sql<boolean>`${eb.ref("response_body")} like ${containsPattern(value)} escape '\\'`)))
        .execute();
    }
    return { CustomerID: customerId, ErasedAt: iso(now)!, AlreadyErased: false, ReceiptsKept: Number(receipts.n) };
  });
}
