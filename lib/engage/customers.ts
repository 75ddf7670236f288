// Loyalty customers (ENGAGE_API.md §3): register, read, update and search. Customers belong
// to the group: every key of the group finds, reads and updates them.
import "server-only";
import { sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from "kysely";
import { isUniqueViolation } from "../db";
import type { CustomerRow, CustomerTable, Database } from "../db/schema";
import type { Updateable } from "kysely";
import { inTransaction, iso, type EngageContext } from "./context";
import { conflict, EngageError, forbidden, invalidField, notFound, validationFailed } from "./errors";
import { fromE4, hasControlCharacters, normalizePhone, toE4 } from "./schemas/fields";
import { IDENTIFIER_MESSAGE, type Customer, type CustomerInput } from "./schemas/customer";
import { DEFAULT_PAGE_SIZE } from "./schemas/query";
import { maskKey } from "./keys";

export function serializeCustomer(row: CustomerRow): Customer {
  return {
    CustomerID: row.customer_id,
    ExternalID: row.external_id,
    Phone: row.phone,
    Email: row.email,
    FirstName: row.first_name,
    LastName: row.last_name,
    Address: row.address,
    City: row.city,
    State: row.state,
    Zipcode: row.zipcode,
    Birthday: row.birthday,
    AcceptsSMS: row.accepts_sms === 1,
    AcceptsEmail: row.accepts_email === 1,
    RegisteredLocationID: row.registered_location_id,
    CreatedAt: iso(row.created_at)!,
    UpdatedAt: iso(row.updated_at)!,
    VisitCount: row.visit_count,
    LifetimeSpend: fromE4(row.lifetime_spend_e4),
    FirstVisitAt: iso(row.first_visit_at),
    LastVisitAt: iso(row.last_visit_at),
  };
}

/** Lower case without accents: the form names are searched in. */
export function normalizeName(name: string | null | undefined): string | null {
  if (!name) return null;
  return name.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim() || null;
}

const UNIQUE_PROPERTIES = [
  ["CustomerID", "customer_id"],
  ["ExternalID", "external_id"],
  ["Phone", "phone"],
  ["Email", "email"],
] as const;

/** 409 when a unique property already belongs to another customer of the group. */
async function assertUnique(
  ctx: EngageContext,
  values: Partial<Record<(typeof UNIQUE_PROPERTIES)[number][1], string | number | null>>,
  exceptPk: number | null,
): Promise<void> {
  for (const [property, column] of UNIQUE_PROPERTIES) {
    const value = values[column];
    if (value === null || value === undefined) continue;
    let q = ctx.db
      .selectFrom("customers")
      .select(["customer_id", "erased_at"])
      .where("group_id", "=", ctx.scope.groupId)
      .where(column, "=", value);
    if (exceptPk !== null) q = q.where("id", "<>", exceptPk);
    const existing = await q.executeTakeFirst();
    if (existing && existing.erased_at !== null) throw erasedCustomerIdConflict(existing.customer_id);
    if (existing) {
      throw conflict(property, `already belongs to customer #${existing.customer_id}`, {
        Property: property,
        ExistingCustomerID: existing.customer_id,
      });
    }
  }
}

async function recordConsent(
  ctx: EngageContext,
  customerPk: number,
  channel: "SMS" | "Email",
  accepted: boolean,
  at: number,
): Promise<void> {
  await ctx.db
    .insertInto("consent_changes")
    .values({
      group_id: ctx.scope.groupId,
      customer_pk: customerPk,
      channel,
      accepted: accepted ? 1 : 0,
      changed_at: at,
      actor_type: ctx.actor.type,
      actor_id: ctx.actor.id,
      actor_label: ctx.actor.label,
    })
    .execute();
}

/**
 * Turns one consent of a customer on or off outside an update (an SMS reply, an unsubscribe
 * link), recorded with ctx's actor; false when it already was so (nothing recorded).
 */
export async function setConsent(ctx: EngageContext, customerPk: number, channel: "SMS" | "Email", accepted: boolean): Promise<boolean> {
  return inTransaction(ctx, async (tx) => {
    const column = channel === "SMS" ? "accepts_sms" : "accepts_email";
    const value = accepted ? 1 : 0;
    const now = tx.now();
    const result = await tx.db
      .updateTable("customers")
      .set({ [column]: value, updated_at: now })
      .where("id", "=", customerPk)
      .where("group_id", "=", tx.scope.groupId)
      .where(column, "<>", value)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await recordConsent(tx, customerPk, channel, accepted, now);
    return true;
  });
}

/** The next free CustomerID of the group: a counter row, so concurrent registrations never collide. */
async function nextCustomerId(ctx: EngageContext): Promise<number> {
  for (;;) {
    const row = await ctx.db
      .updateTable("groups")
      .set((eb) => ({ customer_seq: eb("customer_seq", "+", 1) }))
      .where("id", "=", ctx.scope.groupId)
      .returning("customer_seq")
      .executeTakeFirstOrThrow();
    const taken = await ctx.db
      .selectFrom("customers")
      .select("id")
      .where("group_id", "=", ctx.scope.groupId)
      .where("customer_id", "=", row.customer_seq)
      .executeTakeFirst();
    if (!taken) return row.customer_seq;
  }
}

/**
 * Runs a write that a concurrent request may beat past the pre-check (PostgreSQL): answers as the
 * pre-check would. The savepoint keeps the transaction usable after the refused statement, which
 * PostgreSQL would otherwise abort, so the recheck can name the winner.
 */
async function withUniqueRace<T>(ctx: EngageContext, work: () => Promise<T>, recheck: () => Promise<void>): Promise<T> {
  await sql`savepoint customer_unique`.execute(ctx.db);
  try {
    const result = await work();
    await sql`release savepoint customer_unique`.execute(ctx.db);
    return result;
  } catch (error: unknown) {
    if (!isUniqueViolation(error)) throw error;
    await sql`rollback to savepoint customer_unique`.execute(ctx.db);
    await recheck();
    throw new EngageError(409, "conflict", "A customer with these identifiers already exists.");
  }
}

export async function registerCustomer({ ctx, input }: { ctx: EngageContext; input: CustomerInput }): Promise<Customer> {
  return inTransaction(ctx, async (tx) => {
    const now = tx.now();
    const unique = {
      customer_id: input.CustomerID ?? null,
      external_id: input.ExternalID ?? null,
      phone: input.Phone ?? null,
      email: input.Email ?? null,
    };
    await assertUnique(tx, unique, null);
    // Both paths take the group's counter row before inserting: taking it after the insert on one
    // path and before on the other could deadlock two registrations racing for one identifier.
    if (input.CustomerID != null) {
      // Keep the counter ahead of ids the POS chose, so assigned ids stay free.
      await tx.db
        .updateTable("groups")
        .set({ customer_seq: sql`case when customer_seq < ${input.CustomerID} then ${input.CustomerID} else customer_seq end` })
        .where("id", "=", tx.scope.groupId)
        .execute();
    }
    const customerId = input.CustomerID ?? (await nextCustomerId(tx));
    const acceptsSms = input.AcceptsSMS === true;
    const acceptsEmail = input.AcceptsEmail === true;
    const row = await withUniqueRace(
      tx,
      () =>
        tx.db
          .insertInto("customers")
          .values({
            group_id: tx.scope.groupId,
            customer_id: customerId,
            external_id: unique.external_id,
            phone: unique.phone,
            phone_last4: unique.phone ? unique.phone.slice(-4) : null,
            email: unique.email,
            first_name: input.FirstName ?? null,
            last_name: input.LastName ?? null,
            first_name_norm: normalizeName(input.FirstName),
            last_name_norm: normalizeName(input.LastName),
            address: input.Address ?? null,
            city: input.City ?? null,
            state: input.State ?? null,
            zipcode: input.Zipcode ?? null,
            birthday: input.Birthday ?? null,
            accepts_sms: acceptsSms ? 1 : 0,
            accepts_email: acceptsEmail ? 1 : 0,
            registered_location_id: tx.scope.locationId,
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow(),
      () => assertUnique(tx, unique, null),
    );
    if (acceptsSms) await recordConsent(tx, row.id, "SMS", true, now);
    if (acceptsEmail) await recordConsent(tx, row.id, "Email", true, now);
    return serializeCustomer(row);
  });
}

/** A registered customer; an erased one (lib/engage/data-rights.ts) is no longer one. */
export async function findCustomerRow(ctx: EngageContext, customerId: number): Promise<CustomerRow | undefined> {
  return ctx.db
    .selectFrom("customers")
    .selectAll()
    .where("group_id", "=", ctx.scope.groupId)
    .where("customer_id", "=", customerId)
    .where("erased_at", "is", null)
    .executeTakeFirst();
}

export async function requireCustomerRow(ctx: EngageContext, customerId: number): Promise<CustomerRow> {
  const row = await findCustomerRow(ctx, customerId);
  if (!row) {
    const erased = await ctx.db
      .selectFrom("customers")
      .select("id")
      .where("group_id", "=", ctx.scope.groupId)
      .where("customer_id", "=", customerId)
      .where("erased_at", "is not", null)
      .executeTakeFirst();
    if (erased) throw new EngageError(404, "not_found", `Customer ${customerId} was erased at the customer's request.`);
    throw notFound(`Customer ${customerId}`);
  }
  return row;
}

/** The refusal a registration with an erased customer's CustomerID gets: an id is never reused. */
export function erasedCustomerIdConflict(customerId: number): EngageError {
  const message = `CustomerID ${customerId} belonged to a customer whose data was erased at their request; it cannot be registered again. Register without a CustomerID to get a new one.`;
  return new EngageError(409, "conflict", message, { CustomerID: [message] }, { Property: "CustomerID", ExistingCustomerID: customerId, Erased: true });
}

export async function getCustomer({ ctx, customerId }: { ctx: EngageContext; customerId: number }): Promise<Customer> {
  return serializeCustomer(await requireCustomerRow(ctx, customerId));
}

const COLUMN_OF = {
  ExternalID: "external_id",
  Phone: "phone",
  Email: "email",
  FirstName: "first_name",
  LastName: "last_name",
  Address: "address",
  City: "city",
  State: "state",
  Zipcode: "zipcode",
  Birthday: "birthday",
} as const;

/**
 * PUT semantics: properties present replace, null clears, absent ones keep their value, so a
 * POS that sends a partial record loses nothing.
 */
export async function updateCustomer({
  ctx,
  customerId,
  input,
}: {
  ctx: EngageContext;
  customerId: number;
  input: CustomerInput;
}): Promise<Customer> {
  if (input.CustomerID != null && input.CustomerID !== customerId) {
    throw invalidField("CustomerID", `must equal the CustomerID in the path (${customerId})`);
  }
  return inTransaction(ctx, async (tx) => {
    const current = await requireCustomerRow(tx, customerId);
    const now = tx.now();
    const changes: Updateable<CustomerTable> & Record<string, unknown> = {};
    for (const [property, column] of Object.entries(COLUMN_OF) as [keyof typeof COLUMN_OF, (typeof COLUMN_OF)[keyof typeof COLUMN_OF]][]) {
      if (property in input) changes[column] = input[property] ?? null;
    }
    const next = { ...current, ...changes } as CustomerRow;
    if (!next.phone && !next.email && !next.external_id) {
      throw validationFailed({ Phone: [IDENTIFIER_MESSAGE] });
    }
    if ("phone" in changes) changes.phone_last4 = next.phone ? next.phone.slice(-4) : null;
    if ("first_name" in changes) changes.first_name_norm = normalizeName(next.first_name);
    if ("last_name" in changes) changes.last_name_norm = normalizeName(next.last_name);
    const consent: ["SMS" | "Email", boolean][] = [];
    if ("AcceptsSMS" in input) {
      const accepted = input.AcceptsSMS === true;
      if (accepted !== (current.accepts_sms === 1)) consent.push(["SMS", accepted]);
      changes.accepts_sms = accepted ? 1 : 0;
    }
    if ("AcceptsEmail" in input) {
      const accepted = input.AcceptsEmail === true;
      if (accepted !== (current.accepts_email === 1)) consent.push(["Email", accepted]);
      changes.accepts_email = accepted ? 1 : 0;
    }
    const unique = {
      external_id: "external_id" in changes ? next.external_id : null,
      phone: "phone" in changes ? next.phone : null,
      email: "email" in changes ? next.email : null,
    };
    await assertUnique(tx, unique, current.id);
    changes.updated_at = now;
    const row = await withUniqueRace(
      tx,
      () =>
        tx.db
          .updateTable("customers")
          .set(changes)
          .where("id", "=", current.id)
          .returningAll()
          .executeTakeFirstOrThrow(),
      () => assertUnique(tx, unique, current.id),
    );
    for (const [channel, accepted] of consent) await recordConsent(tx, current.id, channel, accepted, now);
    return serializeCustomer(row);
  });
}

/** The orders a customer list can take (`Sort=`, a leading "-" for descending). */
export const SORTS = {
  name: ["last_name_norm", "asc"],
  "-name": ["last_name_norm", "desc"],
  lastVisit: ["last_visit_at", "asc"],
  "-lastVisit": ["last_visit_at", "desc"],
  lifetimeSpend: ["lifetime_spend_e4", "asc"],
  "-lifetimeSpend": ["lifetime_spend_e4", "desc"],
} as const satisfies Record<string, readonly ["last_name_norm" | "last_visit_at" | "lifetime_spend_e4", "asc" | "desc"]>;

export type CustomerSort = keyof typeof SORTS;

export interface CustomerSearch {
  Sort?: CustomerSort;
  Query?: string;
  Phone?: string;
  Email?: string;
  ExternalID?: string;
  FirstName?: string;
  LastName?: string;
  /** [extension] The campaign audience filters (the console's audience builder). */
  PurchasedAtLocationID?: number;
  VisitedWithinDays?: number;
  /** Also the customers who never visited. */
  NotVisitedWithinDays?: number;
  MinLifetimeSpend?: number;
  MinVisits?: number;
  BirthdayMonth?: number;
  AcceptsSMS?: boolean;
  AcceptsEmail?: boolean;
  Page?: number;
  PageSize?: number;
}

const DAY_MS = 86_400_000;

/**
 * A location key may ask who bought at its own location only (it cannot see another location's
 * receipts); a group key at any of its locations.
 */
async function assertAudienceLocation(ctx: EngageContext, locationId: number): Promise<void> {
  if (ctx.scope.locationId !== null) {
    if (locationId !== ctx.scope.locationId) throw forbidden("A location key may only ask who bought at its own location.");
    return;
  }
  const location = await ctx.db
    .selectFrom("locations")
    .select("id")
    .where("id", "=", locationId)
    .where("group_id", "=", ctx.scope.groupId)
    .executeTakeFirst();
  if (!location) throw invalidField("PurchasedAtLocationID", "is not a location of this group");
}

/**
 * The smallest string greater than every string that starts with prefix, in code point order
 * (which is UTF-8 byte order, the columns' order); null when there is none. Works on code points,
 * not UTF-16 units: bumping the low half of a surrogate pair would make a lone surrogate.
 */
function prefixEnd(prefix: string): string | null {
  const chars = Array.from(prefix);
  while (chars.length > 0) {
    let next = chars.pop()!.codePointAt(0)! + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
    if (next <= 0x10ffff) return chars.join("") + String.fromCodePoint(next);
  }
  return null;
}

type CustomerEb = ExpressionBuilder<Database, "customers">;
type Column = "phone" | "email" | "external_id" | "first_name_norm" | "last_name_norm" | "phone_last4";

const startsWith = (eb: CustomerEb, column: Column, prefix: string) => {
  const end = prefixEnd(prefix);
  return end === null ? eb(column, ">=", prefix) : eb.and([eb(column, ">=", prefix), eb(column, "<", end)]);
};

const PHONE_CHARACTERS = /^[\d\s().+\-]+$/;

/**
 * The words of free text, with a phone number typed with spaces ("(555) 123-1234",
 * "+1 555 123 1234") kept as one word.
 */
function searchWords(text: string): string[] {
  const words: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const previous = words.length - 1;
    if (previous >= 0 && PHONE_CHARACTERS.test(word) && PHONE_CHARACTERS.test(words[previous])) {
      words[previous] += ` ${word}`;
    } else {
      words.push(word);
    }
  }
  return words;
}

function phoneDigits(text: string): string {
  let digits = text.replace(/\D/g, "");
  if (digits.length === 11 && digits.startsWith("1")) digits = digits.slice(1);
  return digits;
}

/** A phone filter: all 10 digits match exactly, 4 digits also match the last four, fewer a prefix. */
function phoneMatch(eb: CustomerEb, digits: string) {
  if (digits.length >= 10) return eb("phone", "=", normalizePhone(digits) ?? digits);
  if (digits.length === 4) return eb.or([eb("phone_last4", "=", digits), startsWith(eb, "phone", digits)]);
  return startsWith(eb, "phone", digits);
}

/** One word of free text: a name prefix, an email prefix, a phone fragment or an ExternalID. */
function termMatch(eb: CustomerEb, raw: string) {
  const branches = nameTermBranches(eb, raw);
  if (branches) return eb.or(branches);
  const word = raw.trim();
  const digits = phoneDigits(word);
  if (word.includes("@")) return startsWith(eb, "email", word.toLowerCase());
  return eb.or([phoneMatch(eb, digits), eb("external_id", "=", word)]);
}

/**
 * A name-like word's alternatives (last name, first name, email prefix, ExternalID), or null for
 * an email address or a phone fragment.
 */
function nameTermBranches(eb: CustomerEb, raw: string) {
  const word = raw.trim();
  if (word.includes("@")) return null;
  if (PHONE_CHARACTERS.test(word) && phoneDigits(word).length >= 3) return null;
  const name = normalizeName(word) ?? word;
  return [
    startsWith(eb, "last_name_norm", name),
    startsWith(eb, "first_name_norm", name),
    startsWith(eb, "email", word.toLowerCase()),
    eb("external_id", "=", word),
  ] as const;
}

/**
 * The customers table, on SQLite through the named index. Beside a unique index on the same
 * column (group, phone or email), SQLite's planner, told by the statistics that both find as many
 * rows, reads every matching row through the unique one rather than the index that holds the
 * order's columns (0008_search_indexes): 25 ms instead of 1 ms for "james" at a million.
 * PostgreSQL has the one index (INCLUDE) and needs no hint.
 */
function customersVia(ctx: EngageContext, index?: string) {
  if (!index || ctx.dialect !== "sqlite") return ctx.db.selectFrom("customers");
  return ctx.db.selectFrom(sql`"customers" indexed by ${sql.id(index)}` as unknown as "customers");
}

export async function searchCustomers({
  ctx,
  search,
}: {
  ctx: EngageContext;
  search: CustomerSearch;
}): Promise<{ items: Customer[]; total: number; page: number; pageSize: number }> {
  for (const name of ["Query", "Phone", "Email", "ExternalID", "FirstName", "LastName"] as const) {
    const value = search[name];
    // Nothing stored holds them, and PostgreSQL refuses NUL in a parameter.
    if (value && hasControlCharacters(value)) throw invalidField(name, "must not contain control characters");
  }
  if (search.PurchasedAtLocationID !== undefined) await assertAudienceLocation(ctx, search.PurchasedAtLocationID);
  const page = search.Page ?? 1;
  const pageSize = search.PageSize ?? DEFAULT_PAGE_SIZE;
  const offset = (page - 1) * pageSize;
  const exact: { column: "phone" | "email" | "external_id"; value: string }[] = [];
  const now = ctx.now();
  // How many conditions beyond the group's: none is the whole group, in the sort's order.
  let filters = 0;
  // Whether a condition needs a column that erasing a customer empties (their phone, email,
  // names, ExternalID): then no erased customer can match, and the count needs no look at
  // erased_at, which only the table's rows hold (the indexes answer the count alone).
  let erasedUnmatchable = false;
  let condition: Expression<SqlBool> | undefined;
  // Whether Phone is one range of the phone column (not four digits: those also match the last four).
  let phoneRange = false;
  // The first word of Query when it may be a name: its alternatives, and every other condition.
  let nameTerm: { branches: NonNullable<ReturnType<typeof nameTermBranches>>; rest: Expression<SqlBool> } | undefined;

  const filtered = ctx.db
    .selectFrom("customers")
    .where("group_id", "=", ctx.scope.groupId)
    .where("erased_at", "is", null)
    .where((eb) => {
      const all = [];
      if (search.Phone) {
        const digits = phoneDigits(search.Phone);
        if (digits.length === 0) throw invalidField("Phone", "must contain digits");
        phoneRange = digits.length !== 4;
        all.push(phoneMatch(eb, digits));
        if (digits.length === 10) exact.push({ column: "phone", value: digits });
      }
      if (search.Email) {
        const email = search.Email.toLowerCase();
        all.push(startsWith(eb, "email", email));
        exact.push({ column: "email", value: email });
      }
      if (search.ExternalID) {
        all.push(eb("external_id", "=", search.ExternalID));
      }
      const first = normalizeName(search.FirstName);
      if (first) all.push(startsWith(eb, "first_name_norm", first));
      const last = normalizeName(search.LastName);
      if (last) all.push(startsWith(eb, "last_name_norm", last));
      const named = all.length;
      let firstBranches: ReturnType<typeof nameTermBranches> = null;
      for (const [i, word] of searchWords(search.Query ?? "").slice(0, 8).entries()) {
        const branches = i === 0 ? nameTermBranches(eb, word) : null;
        if (branches) firstBranches = branches;
        all.push(branches ? eb.or([...branches]) : termMatch(eb, word));
        const digits = phoneDigits(word);
        if (word.includes("@")) exact.push({ column: "email", value: word.toLowerCase() });
        else if (digits.length === 10 && PHONE_CHARACTERS.test(word)) exact.push({ column: "phone", value: digits });
        exact.push({ column: "external_id", value: word });
      }
      // Every condition so far is on such a column (the audience filters below are not).
      erasedUnmatchable = all.length > 0;
      // Audience filters: a receipt at the location (receipts_customer_location), recency and
      // value (the group's last-visit and lifetime-spend indexes), visits, birthday month, consent.
      if (search.PurchasedAtLocationID !== undefined) {
        const locationId = search.PurchasedAtLocationID;
        all.push(
          eb.exists(
            eb
              .selectFrom("receipts")
              .select(sql`1`.as("one"))
              .whereRef("receipts.customer_pk", "=", "customers.id")
              .where("receipts.location_id", "=", locationId)
              .where("receipts.voided_at", "is", null),
          ),
        );
      }
      if (search.VisitedWithinDays !== undefined) all.push(eb("last_visit_at", ">=", now - search.VisitedWithinDays * DAY_MS));
      if (search.NotVisitedWithinDays !== undefined) {
        all.push(eb.or([eb("last_visit_at", "is", null), eb("last_visit_at", "<", now - search.NotVisitedWithinDays * DAY_MS)]));
      }
      if (search.MinLifetimeSpend !== undefined) all.push(eb("lifetime_spend_e4", ">=", toE4(search.MinLifetimeSpend) ?? Math.round(search.MinLifetimeSpend * 10_000)));
      if (search.MinVisits !== undefined) all.push(eb("visit_count", ">=", search.MinVisits));
      if (search.BirthdayMonth !== undefined) {
        // The expression of the daily birthday run's index (customers_birthday_md): "MM-DD".
        const month = String(search.BirthdayMonth).padStart(2, "0");
        const monthDay = sql<string>`substr(birthday, 6, 5)`;
        all.push(eb.and([eb(monthDay, ">=", `${month}-01`), eb(monthDay, "<=", `${month}-31`)]));
      }
      if (search.AcceptsSMS !== undefined) all.push(eb("accepts_sms", "=", search.AcceptsSMS ? 1 : 0));
      if (search.AcceptsEmail !== undefined) all.push(eb("accepts_email", "=", search.AcceptsEmail ? 1 : 0));
      filters = all.length;
      condition = eb.and(all);
      if (firstBranches) nameTerm = { branches: firstBranches, rest: eb.and(all.filter((_, j) => j !== named)) };
      return condition;
    });
  const [key, direction] = SORTS[search.Sort ?? "name"];
  // The list's order: exact matches (a whole phone, email or ExternalID) first, then by the sort,
  // customers without its value (no name, never visited) last on both databases, then CustomerID.
  const inPageOrder = <O>(query: SelectQueryBuilder<Database, "customers", O>) => {
    let q = query;
    if (exact.length > 0) {
      q = q.orderBy(
        (eb) =>
          eb
            .case()
            .when(eb.or(exact.map((e) => eb(e.column, "=", e.value))))
            .then(0)
            .else(1)
            .end(),
        "asc",
      );
    }
    if (key !== "lifetime_spend_e4") q = q.orderBy(sql`case when ${sql.ref(key)} is null then 1 else 0 end`);
    q = q.orderBy(key, direction);
    if (key === "last_name_norm") q = q.orderBy("first_name_norm", direction);
    return q.orderBy("customer_id");
  };

  // The customers matched, through the named index on SQLite (customersVia). No erased customer
  // matches a search on their emptied columns: then erased_at, which only the table's rows hold,
  // is left out, and the indexes answer alone.
  const matching = (index?: string) => {
    let q = customersVia(ctx, index).where("group_id", "=", ctx.scope.groupId);
    if (condition) q = q.where(condition);
    return erasedUnmatchable ? q : q.where("erased_at", "is", null);
  };
  const countable = matching();
  const counted = countable.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const [countRow, rows] = await Promise.all([
    counted,
    (async () => {
      if (filters === 0 && key !== "lifetime_spend_e4") {
        // The whole group in order (the console's list before a search): the customers with the
        // value first, read in order from the index on it, then those without. The CASE that puts
        // them last in one query sorts every customer of the group for each page (1.3 s at a
        // million on SQLite); these read a page's worth.
        let withValue = filtered.selectAll().where(key, "is not", null).orderBy(key, direction);
        if (key === "last_name_norm") withValue = withValue.orderBy("first_name_norm", direction);
        const head = await withValue.orderBy("customer_id").limit(pageSize).offset(offset).execute();
        if (head.length === pageSize) return head;
        const without = filtered.where(key, "is", null);
        // A page past every customer with the value skips those without that earlier pages showed.
        const skip =
          head.length > 0
            ? 0
            : offset - (Number((await counted).n) - Number((await without.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n));
        let tail = without.selectAll();
        if (key === "last_name_norm") tail = tail.orderBy("first_name_norm", direction);
        const rest = await tail.orderBy("customer_id").limit(pageSize - head.length).offset(Math.max(0, skip)).execute();
        return [...head, ...rest];
      }
      if (key === "last_name_norm" && nameTerm) {
        // A word that may be a name matches by last name, first name, email or ExternalID. The
        // page's customers are among the first offset + pageSize of each alternative (in the
        // page's order, ignoring the exact matches that come first: one customer each, so as
        // many more) and the exact matches: each alternative reads only that many, the last
        // name's straight from its index in order, instead of sorting every customer matched.
        const { branches, rest } = nameTerm;
        const limit = offset + pageSize + exact.length;
        // Each alternative is on a column erasing a customer empties: no erased customer matches,
        // and the alternative's index (which holds the order's columns: 0008_search_indexes)
        // answers without reading a row.
        const branch = (alternative: Expression<SqlBool>, index?: string) =>
          customersVia(ctx, index).select("id").where("group_id", "=", ctx.scope.groupId).where(rest).where(alternative);
        const [lastName, ...others] = branches;
        const parts = [
          branch(lastName).orderBy("last_name_norm", direction).orderBy("first_name_norm", direction).orderBy("customer_id").limit(limit),
          ...others.map((alternative, i) =>
            branch(alternative, i === 1 ? "customers_search_email" : undefined)
              .orderBy(sql`case when last_name_norm is null then 1 else 0 end`)
              .orderBy("last_name_norm", direction)
              .orderBy("first_name_norm", direction)
              .orderBy("customer_id")
              .limit(limit),
          ),
        ];
        let candidates = ctx.db.selectFrom(parts[0].as("c")).select("c.id");
        for (const part of parts.slice(1)) candidates = candidates.unionAll(ctx.db.selectFrom(part.as("c")).select("c.id"));
        if (exact.length > 0) {
          candidates = candidates.unionAll(filtered.select("id").where((eb) => eb.or(exact.map((e) => eb(e.column, "=", e.value)))));
        }
        return inPageOrder(ctx.db.selectFrom("customers").selectAll().where("id", "in", candidates)).limit(pageSize).offset(offset).execute();
      }
      // The page's customers picked first, then only their rows read: on a search of columns
      // erasing empties, the pick needs no look at erased_at, and the search's index holding the
      // order's columns (0008_search_indexes) answers it alone, where reading every matching
      // row to sort it took 2 ms for a 5-digit phone prefix at a million customers.
      const page = inPageOrder(matching(phoneRange ? "customers_search_phone" : undefined).select("id")).limit(pageSize).offset(offset);
      return inPageOrder(ctx.db.selectFrom("customers").selectAll().where("id", "in", page)).execute();
    })(),
  ]);
  return { items: rows.map(serializeCustomer), total: Number(countRow.n), page, pageSize };
}

export interface ConsentChange {
  Channel: "SMS" | "Email";
  Accepted: boolean;
  ChangedAt: string;
  /** Who made the change: an API key (masked), a staff user (their email), or the system. */
  ActorType: "key" | "user" | "system";
  Actor: string | null;
}

/** Every change of the customer's marketing consent, newest first. */
export async function listConsentHistory({ ctx, customerId }: { ctx: EngageContext; customerId: number }): Promise<ConsentChange[]> {
  const customer = await requireCustomerRow(ctx, customerId);
  const rows = await ctx.db
    .selectFrom("consent_changes as c")
    // Compared as text: a console user's actor_id is not a number, and PostgreSQL may cast every
    // row's before it checks actor_type (a bigint cast of it fails the whole query).
    .leftJoin("api_keys as k", (join) =>
      join.on((eb) => eb.and([eb("c.actor_type", "=", "key"), eb(eb.cast<string>("k.id", "text"), "=", eb.ref("c.actor_id"))])),
    )
    .select(["c.channel", "c.accepted", "c.changed_at", "c.actor_type", "c.actor_label", "k.last4", "k.location_id"])
    .where("c.customer_pk", "=", customer.id)
    .orderBy("c.changed_at", "desc")
    .orderBy("c.id", "desc")
    .limit(500)
    .execute();
  return rows.map((r) => ({
    Channel: r.channel,
    Accepted: r.accepted === 1,
    ChangedAt: iso(r.changed_at)!,
    ActorType: r.actor_type,
    Actor:
      r.actor_type === "key" && r.last4 !== null
        ? maskKey(r.last4, r.location_id === null ? "group" : "location")
        : r.actor_label,
  }));
}
