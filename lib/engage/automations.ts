// Automated campaigns (ENGAGE_API.md §7): five templates, each off until turned on, for the
// whole group (group key) or one location (its key). A receipt triggers welcome and the
// milestones in its own transaction; birthday and win-back run daily over every group.
// Each trigger has a unique trigger_key on its offer, so it issues at most one offer however
// often it is evaluated: concurrent receipts, retries, a daily run twice or after a restart.
import "server-only";
import { sql, type ExpressionBuilder } from "kysely";
import type { DatabaseHandle } from "../db";
import { prepared } from "../db/prepared";
import type { AutomationRow, Database, OfferRow } from "../db/schema";
import { inTransaction, iso, type EngageContext } from "./context";
import { forbidden, invalidField } from "./errors";
import { issueOffers, type OfferDraft } from "./offers";
import {
  AUTOMATION_DEFAULTS,
  AUTOMATION_TEMPLATES,
  DAILY_TEMPLATES,
  RECEIPT_TEMPLATES,
  TEMPLATE_PARAMETER,
  type Automation,
  type AutomationInput,
  type AutomationParameter,
  type AutomationTemplate,
} from "./schemas/automation";
import { fromE4, toE4 } from "./schemas/fields";

const DAY = 86_400_000;
/** A receipt that crosses more spend milestones at once issues offers for the last ten of them. */
export const MAX_MILESTONES_PER_RECEIPT = 10;
const DAILY_BATCH = 500;

/** What makes each trigger once-only: the offers' unique trigger_key. */
export const automationTrigger = {
  /** One welcome per customer ever (a customer belongs to one group). */
  welcome: (customerPk: number) => `welcome:customer:${customerPk}`,
  /** One per milestone amount: a changed threshold never re-issues an amount already rewarded. */
  spendMilestone: (customerPk: number, amountE4: number) => `spend-milestone:customer:${customerPk}:${amountE4}`,
  visitMilestone: (customerPk: number, visit: number) => `visit-milestone:customer:${customerPk}:${visit}`,
  /** The year of the birthday the offer is for. */
  birthday: (customerPk: number, year: number) => `birthday:customer:${customerPk}:${year}`,
  /** The last visit the customer lapsed after: once per lapse. */
  winBack: (customerPk: number, lastVisitAt: number) => `win-back:customer:${customerPk}:${lastVisitAt}`,
};

// ---------------------------------------------------------------------------------------
// Configuration: GET and PUT /v1/Automations

const PARAMETER_COLUMN = {
  SpendThreshold: "spend_threshold_e4",
  VisitInterval: "visit_interval",
  DaysBefore: "days_before",
  LapseDays: "lapse_days",
} as const satisfies Record<AutomationParameter, keyof AutomationRow>;

function parameterOf(row: AutomationRow): number | null {
  const parameter = TEMPLATE_PARAMETER[row.template_name];
  if (!parameter) return null;
  const value = row[PARAMETER_COLUMN[parameter]];
  if (value === null) return null;
  return parameter === "SpendThreshold" ? fromE4(value) : value;
}

/** A template's configuration, or its defaults (off) when it was never configured. */
function serializeAutomation(template: AutomationTemplate, locationId: number | null, row?: AutomationRow): Automation {
  const defaults = AUTOMATION_DEFAULTS[template];
  const parameter = TEMPLATE_PARAMETER[template];
  const value = row ? parameterOf(row) ?? defaults.parameter : defaults.parameter;
  return {
    TemplateName: template,
    LocationID: locationId,
    Enabled: row ? row.enabled === 1 : false,
    AmountOff: row ? fromE4(row.amount_off_e4) : defaults.AmountOff,
    MinimumPurchase: row ? fromE4(row.minimum_purchase_e4) : defaults.MinimumPurchase,
    DaysTillExpiration: row ? row.days_till_expiration : defaults.DaysTillExpiration,
    SpendThreshold: parameter === "SpendThreshold" ? value : null,
    VisitInterval: parameter === "VisitInterval" ? value : null,
    DaysBefore: parameter === "DaysBefore" ? value : null,
    LapseDays: parameter === "LapseDays" ? value : null,
    Message: row?.message ?? null,
    UpdatedAt: row ? iso(row.updated_at) : null,
  };
}

async function requireGroupLocation(ctx: EngageContext, locationId: number): Promise<number> {
  const location = await ctx.db
    .selectFrom("locations")
    .select("id")
    .where("id", "=", locationId)
    .where("group_id", "=", ctx.scope.groupId)
    .executeTakeFirst();
  if (!location) throw invalidField("LocationID", "is not a location of this group");
  return location.id;
}

/** The other locations' automations are not a location key's business. */
function assertOwnLocation(ctx: EngageContext, locationId: number | null): void {
  if (ctx.scope.locationId !== null && locationId !== ctx.scope.locationId) {
    throw forbidden(
      locationId === null
        ? "Group-wide automations are configured with the group key; a location key configures its own location's."
        : "A location key sees and configures only its own location's automations.",
    );
  }
}

/**
 * A group key sees the group-wide automations and every location's; a location key the
 * group-wide ones (read-only for it) and its own location's. Unconfigured templates are
 * listed with their defaults, off. `locationId` narrows the list to that location's five.
 */
export async function listAutomations({
  ctx,
  locationId,
}: {
  ctx: EngageContext;
  locationId?: number;
}): Promise<Automation[]> {
  let scopes: (number | null)[];
  if (locationId !== undefined) {
    assertOwnLocation(ctx, locationId);
    scopes = [await requireGroupLocation(ctx, locationId)];
  } else if (ctx.scope.locationId !== null) {
    scopes = [null, ctx.scope.locationId];
  } else {
    const locations = await ctx.db
      .selectFrom("locations")
      .select("id")
      .where("group_id", "=", ctx.scope.groupId)
      .orderBy("id")
      .execute();
    scopes = [null, ...locations.map((l) => l.id)];
  }
  const rows = await ctx.db
    .selectFrom("automations")
    .selectAll()
    .where("group_id", "=", ctx.scope.groupId)
    .where(
      "scope_id",
      "in",
      scopes.map((s) => s ?? 0),
    )
    .execute();
  const byKey = new Map(rows.map((r) => [`${r.scope_id}:${r.template_name}`, r]));
  return scopes.flatMap((scope) =>
    AUTOMATION_TEMPLATES.map((t) => serializeAutomation(t, scope, byKey.get(`${scope ?? 0}:${t}`))),
  );
}

/**
 * Saves one template's configuration: group-wide (group key, LocationID omitted or null), or
 * for a location (the group key naming it, or that location's own key). The body replaces
 * the configuration; MinimumPurchase, DaysTillExpiration and Message take their defaults when
 * left out, and the template's parameter, required to turn it on, keeps its value when a
 * template is turned off without it.
 */
export async function saveAutomation({
  ctx,
  template,
  input,
}: {
  ctx: EngageContext;
  template: AutomationTemplate;
  input: AutomationInput;
}): Promise<Automation> {
  return inTransaction(ctx, async (tx) => {
    let locationId: number | null;
    if (tx.scope.locationId !== null) {
      // A location key acts for its own location unless the body says otherwise.
      locationId = input.LocationID === undefined ? tx.scope.locationId : input.LocationID;
      assertOwnLocation(tx, locationId);
    } else {
      locationId = input.LocationID == null ? null : await requireGroupLocation(tx, input.LocationID);
    }
    const scopeId = locationId ?? 0;
    const existing = await tx.db
      .selectFrom("automations")
      .selectAll()
      .where("group_id", "=", tx.scope.groupId)
      .where("scope_id", "=", scopeId)
      .where("template_name", "=", template)
      .executeTakeFirst();

    const defaults = AUTOMATION_DEFAULTS[template];
    const parameter = TEMPLATE_PARAMETER[template];
    const parameters = { spend_threshold_e4: null, visit_interval: null, days_before: null, lapse_days: null } as Record<
      (typeof PARAMETER_COLUMN)[AutomationParameter],
      number | null
    >;
    if (parameter) {
      const given = input[parameter];
      const value = given ?? (existing ? parameterOf(existing) : null) ?? defaults.parameter!;
      parameters[PARAMETER_COLUMN[parameter]] = parameter === "SpendThreshold" ? toE4(value)! : value;
    }
    const now = tx.now();
    const values = {
      enabled: input.Enabled ? 1 : 0,
      amount_off_e4: toE4(input.AmountOff)!,
      minimum_purchase_e4: toE4(input.MinimumPurchase ?? defaults.MinimumPurchase)!,
      days_till_expiration: input.DaysTillExpiration ?? defaults.DaysTillExpiration,
      ...parameters,
      message: input.Message ?? null,
      updated_at: now,
      updated_by_key_id: tx.scope.keyId,
    };
    // An upsert: two concurrent first saves of one template both succeed, the later one wins.
    const row = await tx.db
      .insertInto("automations")
      .values({
        group_id: tx.scope.groupId,
        location_id: locationId,
        scope_id: scopeId,
        template_name: template,
        created_at: now,
        ...values,
      })
      .onConflict((oc) => oc.columns(["group_id", "scope_id", "template_name"]).doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    return serializeAutomation(template, locationId, row);
  });
}

// ---------------------------------------------------------------------------------------
// Issuing

/**
 * The configuration that applies to a customer at a location: the location's own, when it is
 * on, takes precedence; otherwise the group-wide one. A location cannot switch off the group's.
 */
function applicable(configs: AutomationRow[], template: AutomationTemplate, locationId: number | null) {
  const own = locationId === null ? undefined : configs.find((c) => c.template_name === template && c.location_id === locationId);
  return own ?? configs.find((c) => c.template_name === template && c.location_id === null);
}

function draft(
  config: AutomationRow,
  customer: { pk: number; id: number },
  triggerKey: string,
  now: number,
  sourceReceiptId: string | null,
): OfferDraft {
  return {
    group_id: config.group_id,
    campaign_id: null,
    automation_id: config.id,
    source_receipt_id: sourceReceiptId,
    customer_pk: customer.pk,
    customer_id: customer.id,
    template_name: config.template_name,
    amount_off_e4: config.amount_off_e4,
    minimum_purchase_e4: config.minimum_purchase_e4,
    is_location_specific: config.location_id === null ? 0 : 1,
    location_id: config.location_id,
    created_at: now,
    expires_at: now + config.days_till_expiration * DAY,
    redeemed_at: null,
    redeemed_receipt_id: null,
    redeemed_location_id: null,
    trigger_key: triggerKey,
  };
}

/**
 * Whether the group has a receipt-triggered template on, group-wide or at the location: asked
 * in the receipt's customer query, so a group without any costs the receipt no statement.
 */
export function receiptAutomationsOn(eb: ExpressionBuilder<Database, "customers">, groupId: number, locationId: number) {
  return eb.exists(
    eb
      .selectFrom("automations")
      .select(sql`1`.as("one"))
      .where("automations.group_id", "=", groupId)
      .where("automations.scope_id", "in", [0, locationId])
      .where("automations.template_name", "in", [...RECEIPT_TEMPLATES])
      .where("automations.enabled", "=", 1),
  );
}

/** The receipt templates on, group-wide and at the location. */
const receiptConfigs = prepared((db, p: { groupId: number; locationId: number }) =>
  db
    .selectFrom("automations")
    .selectAll()
    .where("group_id", "=", p.groupId)
    .where("scope_id", "in", [0, p.locationId])
    .where("template_name", "in", [...RECEIPT_TEMPLATES])
    .where("enabled", "=", 1),
);

export interface ReceiptTrigger {
  /** False when receiptAutomationsOn said none is on: nothing to look up. */
  automated?: boolean;
  receiptId: string;
  locationId: number;
  customerPk: number;
  customerId: number;
  totalE4: number;
  /** The customer's statistics with this receipt counted, read under the customer's row lock. */
  visitCount: number;
  lifetimeSpendE4: number;
}

/**
 * Inside the receipt's transaction, after the customer's statistics counted it: the offers
 * this receipt spawns. Welcome: the receipt that makes the customer's visit count 1 (a voided
 * first visit is no visit; a welcome once issued is never issued again). Spend milestones:
 * each multiple of the threshold that lifetime spend crossed (as a void lowers lifetime spend,
 * crossing an amount again issues nothing). Visit milestones: a visit count that is a
 * multiple of the interval, each count once.
 */
export async function runReceiptAutomations(ctx: EngageContext, trigger: ReceiptTrigger): Promise<OfferRow[]> {
  if (trigger.automated === false) return [];
  const configs = await receiptConfigs.rows(ctx.db, { groupId: ctx.scope.groupId, locationId: trigger.locationId });
  if (configs.length === 0) return [];
  const now = ctx.now();
  const customer = { pk: trigger.customerPk, id: trigger.customerId };
  const drafts: OfferDraft[] = [];
  const add = (config: AutomationRow, key: string) => drafts.push(draft(config, customer, key, now, trigger.receiptId));

  const welcome = applicable(configs, "welcome", trigger.locationId);
  if (welcome && trigger.visitCount === 1) add(welcome, automationTrigger.welcome(customer.pk));

  const spend = applicable(configs, "spend-milestone", trigger.locationId);
  if (spend?.spend_threshold_e4) {
    const threshold = spend.spend_threshold_e4;
    const before = Math.floor((trigger.lifetimeSpendE4 - trigger.totalE4) / threshold);
    const after = Math.floor(trigger.lifetimeSpendE4 / threshold);
    for (let n = Math.max(before + 1, after - MAX_MILESTONES_PER_RECEIPT + 1); n <= after; n++) {
      if (n >= 1) add(spend, automationTrigger.spendMilestone(customer.pk, n * threshold));
    }
  }

  const visits = applicable(configs, "visit-milestone", trigger.locationId);
  if (visits?.visit_interval && trigger.visitCount > 0 && trigger.visitCount % visits.visit_interval === 0) {
    add(visits, automationTrigger.visitMilestone(customer.pk, trigger.visitCount));
  }

  if (drafts.length === 0) return [];
  return issueOffers(ctx, drafts);
}

// ---------------------------------------------------------------------------------------
// The daily run: birthday and win-back, for every group

export interface DailyRunResult {
  Date: string;
  Birthday: number;
  WinBack: number;
}

export interface DailyRunOptions {
  /** The day the run is for, YYYY-MM-DD (UTC). */
  date: string;
  /** Only this group's customers. */
  groupId?: number;
  now?: () => number;
  /** Customers read (and offers issued) per transaction; 500 by default. */
  batchSize?: number;
  /** Called between batches (the scheduler renews its lease there). */
  onBatch?: () => Promise<void>;
}

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export function isRunDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/**
 * The birthdays ("MM-DD") a run on `date` covers, with the year of that birthday and how many
 * days ahead it is: every day from `date` to `date + days`. February 29 birthdays fall on
 * February 28 in years without one.
 */
export function birthdayWindow(date: string, days: number): Map<string, { year: number; ahead: number }> {
  const start = Date.parse(`${date}T00:00:00Z`);
  const window = new Map<string, { year: number; ahead: number }>();
  for (let ahead = 0; ahead <= days; ahead++) {
    const d = new Date(start + ahead * DAY);
    const year = d.getUTCFullYear();
    const md = d.toISOString().slice(5, 10);
    window.set(md, { year, ahead });
    if (md === "02-28" && !isLeap(year)) window.set("02-29", { year, ahead });
  }
  return window;
}

type Batch = { pk: number; customerId: number; home: number | null; birthday?: string | null; lastVisitAt?: number | null }[];

async function enabledConfigs(handle: DatabaseHandle, template: AutomationTemplate, groupId?: number) {
  let q = handle.db.selectFrom("automations").selectAll().where("template_name", "=", template).where("enabled", "=", 1);
  if (groupId !== undefined) q = q.where("group_id", "=", groupId);
  const byGroup = new Map<number, AutomationRow[]>();
  for (const row of await q.orderBy("group_id").orderBy("scope_id").execute()) {
    const list = byGroup.get(row.group_id) ?? [];
    list.push(row);
    byGroup.set(row.group_id, list);
  }
  return byGroup;
}

/** Issues one batch's offers in a transaction of its own, through issueOffers like every offer. */
async function issueBatch(handle: DatabaseHandle, groupId: number, now: number, drafts: OfferDraft[]): Promise<number> {
  if (drafts.length === 0) return 0;
  drafts.sort((x, y) => x.customer_pk - y.customer_pk);
  return handle.db.transaction().execute(async (trx) => {
    const ctx: EngageContext = {
      db: trx,
      dialect: handle.dialect,
      scope: { groupId, locationId: null, keyId: null },
      actor: { type: "system", id: null, label: "automations" },
      now: () => now,
    };
    return (await issueOffers(ctx, drafts)).length;
  });
}

/** Where a customer shops: the location of their latest receipt, else where they registered. */
function homeLocation() {
  return sql<number | null>`coalesce((
    select r.location_id from receipts r
    where r.customer_pk = c.id and r.voided_at is null
    order by r.created_at desc limit 1
  ), c.registered_location_id)`;
}

async function runBirthdays(handle: DatabaseHandle, options: DailyRunOptions, now: number): Promise<number> {
  let issued = 0;
  for (const [groupId, configs] of await enabledConfigs(handle, "birthday", options.groupId)) {
    const window = birthdayWindow(options.date, Math.max(...configs.map((c) => c.days_before ?? 0)));
    const byYear = new Map<number, string[]>();
    for (const [md, { year }] of window) byYear.set(year, [...(byYear.get(year) ?? []), md]);
    for (const [year, monthDays] of byYear) {
      let after = 0;
      for (;;) {
        // Customers whose birthday falls in the window and who hold no offer for it yet; the
        // unique trigger_key, not this filter, is what keeps a second run from issuing again.
        const rows: Batch = await handle.db
          .selectFrom("customers as c")
          .select(["c.id as pk", "c.customer_id as customerId", "c.birthday", homeLocation().as("home")])
          .where("c.group_id", "=", groupId)
          .where(sql<string>`substr(c.birthday, 6, 5)`, "in", monthDays)
          .where("c.id", ">", after)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom("offers as o")
                  .select("o.id")
                  .where("o.trigger_key", "=", sql<string>`${`birthday:customer:`} || cast(c.id as text) || ${`:${year}`}`),
              ),
            ),
          )
          .orderBy("c.id")
          .limit(options.batchSize ?? DAILY_BATCH)
          .execute();
        if (rows.length === 0) break;
        after = rows[rows.length - 1].pk;
        const drafts: OfferDraft[] = [];
        for (const r of rows) {
          const config = applicable(configs, "birthday", r.home);
          const when = window.get(r.birthday!.slice(5, 10));
          if (!config || !when || when.ahead > (config.days_before ?? 0)) continue;
          drafts.push(draft(config, { pk: r.pk, id: r.customerId }, automationTrigger.birthday(r.pk, when.year), now, null));
        }
        issued += await issueBatch(handle, groupId, now, drafts);
        await options.onBatch?.();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }
  return issued;
}

async function runWinBacks(handle: DatabaseHandle, options: DailyRunOptions, now: number): Promise<number> {
  let issued = 0;
  const dayStart = Date.parse(`${options.date}T00:00:00Z`);
  // Lapsed on `date` after N days: the last visit was on `date - N` or earlier.
  const cutoff = (lapseDays: number) => dayStart - (lapseDays - 1) * DAY;
  for (const [groupId, configs] of await enabledConfigs(handle, "win-back", options.groupId)) {
    const widest = cutoff(Math.min(...configs.map((c) => c.lapse_days ?? Infinity)));
    // Read in the order of the (group_id, last_visit_at) index, so each batch starts where the
    // last one ended instead of sorting every lapsed customer again.
    let after: [number, number] = [0, 0];
    for (;;) {
      // Lapsed customers without a win-back offer since their last visit (a void that brings
      // an older last visit back does not make a second lapse of it).
      const rows: Batch = await handle.db
        .selectFrom("customers as c")
        .select(["c.id as pk", "c.customer_id as customerId", "c.last_visit_at as lastVisitAt", homeLocation().as("home")])
        .where("c.group_id", "=", groupId)
        .where("c.last_visit_at", "<", widest)
        // An erased customer is no one to win back (their birthday is erased with them).
        .where("c.erased_at", "is", null)
        .where((eb) => eb(eb.refTuple("c.last_visit_at", "c.id"), ">", eb.tuple(after[0], after[1])))
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("offers as o")
                .select("o.id")
                .whereRef("o.customer_pk", "=", "c.id")
                .where("o.template_name", "=", "win-back")
                .whereRef("o.created_at", ">=", "c.last_visit_at"),
            ),
          ),
        )
        .orderBy("c.last_visit_at")
        .orderBy("c.id")
        .limit(options.batchSize ?? DAILY_BATCH)
        .execute();
      if (rows.length === 0) break;
      const last = rows[rows.length - 1];
      after = [last.lastVisitAt!, last.pk];
      const drafts: OfferDraft[] = [];
      for (const r of rows) {
        const config = applicable(configs, "win-back", r.home);
        if (!config || r.lastVisitAt == null || r.lastVisitAt >= cutoff(config.lapse_days!)) continue;
        drafts.push(draft(config, { pk: r.pk, id: r.customerId }, automationTrigger.winBack(r.pk, r.lastVisitAt), now, null));
      }
      issued += await issueBatch(handle, groupId, now, drafts);
      await options.onBatch?.();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return issued;
}

/**
 * The daily automations as of `date`: birthday offers for birthdays from `date` to DaysBefore
 * days ahead (so a day the run missed is caught up the next day), and win-back offers for
 * customers whose last visit is LapseDays days before `date` or earlier. Customers are read in
 * batches by primary key, each batch's offers issued in a transaction of its own.
 */
export async function runDailyAutomations(handle: DatabaseHandle, options: DailyRunOptions): Promise<DailyRunResult> {
  if (!isRunDate(options.date)) throw new Error(`not a date: ${options.date}`);
  const now = (options.now ?? Date.now)();
  const result: DailyRunResult = { Date: options.date, Birthday: 0, WinBack: 0 };
  for (const template of DAILY_TEMPLATES) {
    if (template === "birthday") result.Birthday = await runBirthdays(handle, options, now);
    else result.WinBack = await runWinBacks(handle, options, now);
  }
  return result;
}
