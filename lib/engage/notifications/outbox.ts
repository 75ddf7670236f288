// The outbox (ENGAGE_API.md §8): when offers are issued, one row per channel the customer has
// consented to, written in the offers' own transaction (a rolled-back offer leaves no message;
// a committed one is never without its messages). The list the console's Outbox page shows.
import "server-only";
import { sql } from "kysely";
import type { NotificationChannel, NotificationRow, NotificationStatus, OfferRow } from "../../db/schema";
import { iso, type EngageContext } from "../context";
import { notFound } from "../errors";
import { DEFAULT_PAGE_SIZE } from "../schemas/query";
import { notificationConfig } from "./config";

const BATCH = 500;

export const NO_TRANSPORT = "no transport";

/**
 * Queues the notifications of newly issued offers, in the caller's transaction: SMS when the
 * customer accepts SMS and has a phone, Email when they accept email and have an address, App
 * when the merchant's webhook is configured. One INSERT … SELECT per channel and 500 offers: the
 * database joins offers to customers itself, so only the offers' ids travel.
 */
export async function queueNotifications(ctx: EngageContext, offers: OfferRow[]): Promise<void> {
  if (offers.length === 0) return;
  const config = notificationConfig();
  const now = ctx.now();
  const channels: { channel: NotificationChannel; configured: boolean }[] = [
    { channel: "SMS", configured: config.sms !== null },
    { channel: "Email", configured: config.email !== null },
  ];
  if (config.app) channels.push({ channel: "App", configured: true });
  const appHost = config.app ? new URL(config.app.url).host : null;
  for (let i = 0; i < offers.length; i += BATCH) {
    const ids = offers.slice(i, i + BATCH).map((o) => o.id);
    for (const { channel, configured } of channels) {
      // Constants are written into the statement (sql.lit): PostgreSQL cannot type a bare parameter in a SELECT list.
      const text = (value: string | null) => (value === null ? sql<string | null>`null` : sql<string>`${sql.lit(value)}`);
      // The time is a parameter with its type: written in, it made every statement's text new each
      // millisecond, so SQLite prepared it anew and its statement cache filled with one-offs.
      const at = (value: number | null) => (value === null ? sql<number | null>`null` : sql<number>`cast(${value} as bigint)`);
      await ctx.db
        .insertInto("notifications")
        .columns([
          "group_id",
          "offer_id",
          "campaign_id",
          "location_id",
          "customer_pk",
          "customer_id",
          "template_name",
          "channel",
          "recipient",
          "status",
          "reason",
          "created_at",
          "next_attempt_at",
        ])
        .expression((eb) => {
          let q = eb
            .selectFrom("offers as o")
            .innerJoin("customers as c", "c.id", "o.customer_pk")
            .select([
              "o.group_id",
              "o.id",
              "o.campaign_id",
              "o.location_id",
              "o.customer_pk",
              "o.customer_id",
              "o.template_name",
              text(channel).as("channel"),
              (channel === "SMS" ? sql.ref<string | null>("c.phone") : channel === "Email" ? sql.ref<string | null>("c.email") : text(appHost)).as("recipient"),
              // Without a transport there is nothing to wait for: the row says so at once.
              text(configured ? "Pending" : "NotSent").as("status"),
              text(configured ? null : NO_TRANSPORT).as("reason"),
              at(now).as("created_at"),
              at(configured ? now : null).as("next_attempt_at"),
            ])
            .where("o.id", "in", ids);
          if (channel === "SMS") q = q.where("c.accepts_sms", "=", 1).where("c.phone", "is not", null);
          if (channel === "Email") q = q.where("c.accepts_email", "=", 1).where("c.email", "is not", null);
          return q;
        })
        .onConflict((oc) => oc.columns(["offer_id", "channel"]).doNothing())
        .execute();
    }
  }
}

export interface Notification {
  NotificationID: number;
  OfferID: number;
  CampaignID: number | null;
  TemplateName: string;
  CustomerID: number;
  Channel: NotificationChannel;
  /** Masked: "•••• 1234", "j•••@example.com", or the webhook's host. */
  Recipient: string | null;
  Status: NotificationStatus;
  Reason: string | null;
  Attempts: number;
  LastError: string | null;
  CreatedAt: string;
  LastAttemptAt: string | null;
  SentAt: string | null;
  NextAttemptAt: string | null;
}

export function maskRecipient(channel: NotificationChannel, recipient: string | null): string | null {
  if (recipient === null) return null;
  if (channel === "SMS") return `•••• ${recipient.slice(-4)}`;
  if (channel === "Email") {
    const at = recipient.lastIndexOf("@");
    return at <= 0 ? "•••" : `${recipient[0]}•••${recipient.slice(at)}`;
  }
  return recipient;
}

export function serializeNotification(row: NotificationRow): Notification {
  return {
    NotificationID: row.id,
    OfferID: row.offer_id,
    CampaignID: row.campaign_id,
    TemplateName: row.template_name,
    CustomerID: row.customer_id,
    Channel: row.channel,
    Recipient: maskRecipient(row.channel, row.recipient),
    Status: row.status,
    Reason: row.reason,
    Attempts: row.attempts,
    LastError: row.last_error,
    CreatedAt: iso(row.created_at)!,
    LastAttemptAt: iso(row.last_attempt_at),
    SentAt: iso(row.sent_at),
    NextAttemptAt: row.status === "Pending" ? iso(row.next_attempt_at) : null,
  };
}

export interface NotificationSearch {
  Status?: NotificationStatus;
  Channel?: NotificationChannel;
  CampaignID?: number;
  CustomerID?: number;
  Page?: number;
  PageSize?: number;
}

/**
 * The outbox, newest first. A group key sees the group's; a location key sees only the
 * messages of offers issued for its location — group-wide offers' messages are the group's.
 */
export async function listNotifications({
  ctx,
  search,
}: {
  ctx: EngageContext;
  search: NotificationSearch;
}): Promise<{ items: Notification[]; total: number; page: number; pageSize: number }> {
  const page = search.Page ?? 1;
  const pageSize = search.PageSize ?? DEFAULT_PAGE_SIZE;
  let q = ctx.db.selectFrom("notifications").where("group_id", "=", ctx.scope.groupId);
  if (ctx.scope.locationId !== null) q = q.where("location_id", "=", ctx.scope.locationId);
  if (search.Status) q = q.where("status", "=", search.Status);
  if (search.Channel) q = q.where("channel", "=", search.Channel);
  if (search.CampaignID !== undefined) q = q.where("campaign_id", "=", search.CampaignID);
  if (search.CustomerID !== undefined) q = q.where("customer_id", "=", search.CustomerID);
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
  return { items: rows.map(serializeNotification), total: Number(count.n), page, pageSize };
}

export interface NotificationAttempt {
  Attempt: number;
  AttemptedAt: string;
  DurationMs: number;
  Outcome: "Sent" | "Retry" | "Failed";
  Error: string | null;
  ProviderID: string | null;
}

/** One message with every delivery attempt made for it, oldest first; 404 outside the key's view. */
export async function getNotification({
  ctx,
  notificationId,
}: {
  ctx: EngageContext;
  notificationId: number;
}): Promise<Notification & { AttemptLog: NotificationAttempt[] }> {
  let q = ctx.db.selectFrom("notifications").selectAll().where("group_id", "=", ctx.scope.groupId).where("id", "=", notificationId);
  if (ctx.scope.locationId !== null) q = q.where("location_id", "=", ctx.scope.locationId);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound(`Notification ${notificationId}`);
  const attempts = await ctx.db
    .selectFrom("notification_attempts")
    .selectAll()
    .where("notification_id", "=", row.id)
    .orderBy("attempt_no")
    .orderBy("id")
    .execute();
  return {
    ...serializeNotification(row),
    AttemptLog: attempts.map((a) => ({
      Attempt: a.attempt_no,
      AttemptedAt: iso(a.attempted_at)!,
      DurationMs: a.duration_ms,
      Outcome: a.outcome,
      Error: a.error,
      ProviderID: a.provider_id,
    })),
  };
}
