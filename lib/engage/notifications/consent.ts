// Consent changed by the customer from outside the API: a reply to a text ("STOP", "START")
// and an email's unsubscribe link. Each change is recorded in the customer's consent history
// with who made it ("SMS reply", "Unsubscribe link"); the worker checks consent again before
// every delivery, so a message still waiting in the outbox is then not sent.
import "server-only";
import type { DatabaseHandle } from "../../db";
import type { Actor, EngageContext } from "../context";
import { setConsent } from "../customers";
import { normalizePhone } from "../schemas/fields";
import { maskRecipient } from "./outbox";
import { verifyUnsubscribeToken } from "./signing";

export const SMS_REPLY_ACTOR: Actor = { type: "system", id: null, label: "SMS reply" };
export const UNSUBSCRIBE_ACTOR: Actor = { type: "system", id: null, label: "Unsubscribe link" };

const STOP_WORDS = new Set(["STOP", "STOPALL", "QUIT", "END", "REVOKE", "CANCEL", "UNSUBSCRIBE", "OPTOUT"]);
const START_WORDS = new Set(["START", "UNSTOP"]);
const HELP_WORDS = new Set(["HELP", "INFO"]);

export type SmsKeyword = "stop" | "start" | "help";

/**
 * What a reply asks for. An opt-out word anywhere in it counts, in any case and with other
 * words around it ("stop please", "Opt-Out", "please STOP texting"): a doubtful opt-out is
 * honoured. Opting back in must be meant: START as the first word, and no opt-out word.
 */
export function smsKeyword(body: string): SmsKeyword | null {
  const words = body
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
  if (words.some((w, i) => STOP_WORDS.has(w) || (w === "OPT" && words[i + 1] === "OUT"))) return "stop";
  if (words.length > 0 && START_WORDS.has(words[0])) return "start";
  if (words.length > 0 && HELP_WORDS.has(words[0])) return "help";
  return null;
}

function systemContext(handle: DatabaseHandle, db: EngageContext["db"], groupId: number, actor: Actor, now: number): EngageContext {
  return { db, dialect: handle.dialect, scope: { groupId, locationId: null, keyId: null }, actor, now: () => now };
}

/**
 * Applies a reply from a phone number to every customer with that number, in every group (one
 * sending number serves them all). STOP turns AcceptsSMS off. START turns it back on where a
 * text had turned it off — never for a group the customer had not agreed to text them.
 * Returns how many customers changed.
 */
export async function applySmsReply(handle: DatabaseHandle, from: string, keyword: SmsKeyword, now = Date.now()): Promise<number> {
  const phone = normalizePhone(from.replace(/^\+/, "").trim());
  if (phone === null || keyword === "help") return 0;
  return handle.db.transaction().execute(async (trx) => {
    const customers = await trx
      .selectFrom("customers")
      .select(["id", "group_id", "accepts_sms"])
      .where("phone", "=", phone)
      .orderBy("id")
      .execute();
    let changed = 0;
    for (const customer of customers) {
      const ctx = systemContext(handle, trx, customer.group_id, SMS_REPLY_ACTOR, now);
      if (keyword === "stop") {
        if (await setConsent(ctx, customer.id, "SMS", false)) changed++;
        continue;
      }
      if (customer.accepts_sms === 1) continue;
      const last = await trx
        .selectFrom("consent_changes")
        .select(["accepted", "actor_label"])
        .where("customer_pk", "=", customer.id)
        .where("channel", "=", "SMS")
        .orderBy("changed_at", "desc")
        .orderBy("id", "desc")
        .executeTakeFirst();
      if (last?.accepted === 0 && last.actor_label === SMS_REPLY_ACTOR.label) {
        if (await setConsent(ctx, customer.id, "SMS", true)) changed++;
      }
    }
    return changed;
  });
}

export interface UnsubscribeTarget {
  customerPk: number;
  groupName: string;
  /** Masked ("j•••@example.com"): the page must not reveal an address to whoever holds a link. */
  email: string | null;
  acceptsEmail: boolean;
}

export async function findUnsubscribeTarget(handle: DatabaseHandle, token: string | null | undefined): Promise<UnsubscribeTarget | null> {
  const customerPk = verifyUnsubscribeToken(token);
  if (customerPk === null) return null;
  const row = await handle.db
    .selectFrom("customers as c")
    .innerJoin("groups as g", "g.id", "c.group_id")
    .select(["c.id", "c.email", "c.accepts_email", "g.name"])
    .where("c.id", "=", customerPk)
    .executeTakeFirst();
  if (!row) return null;
  return { customerPk: row.id, groupName: row.name, email: maskRecipient("Email", row.email), acceptsEmail: row.accepts_email === 1 };
}

/** Turns the link's customer's AcceptsEmail off; null when the link is not valid. */
export async function unsubscribeEmail(
  handle: DatabaseHandle,
  token: string | null | undefined,
  now = Date.now(),
): Promise<{ target: UnsubscribeTarget; changed: boolean } | null> {
  const target = await findUnsubscribeTarget(handle, token);
  if (!target) return null;
  return handle.db.transaction().execute(async (trx) => {
    const group = await trx.selectFrom("customers").select("group_id").where("id", "=", target.customerPk).executeTakeFirstOrThrow();
    const changed = await setConsent(systemContext(handle, trx, group.group_id, UNSUBSCRIBE_ACTOR, now), target.customerPk, "Email", false);
    return { target: { ...target, acceptsEmail: false }, changed };
  });
}
