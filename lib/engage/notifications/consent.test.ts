// Consent changed from outside the API (ENGAGE_API.md §8): an inbound SMS "STOP" (any case,
// other words around it) turns AcceptsSMS off for every customer with that phone and "START"
// back on, each change in the consent history as "SMS reply"; a forged Twilio signature is
// refused. An email's one-click unsubscribe turns AcceptsEmail off, and a message still in the
// outbox is then not sent. Through the very handlers the Next routes call, on a real database.
import { createHmac } from "node:crypto";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import type { ConsentChange } from "../customers";
import type { Customer } from "../schemas/customer";
import { startTestServer, wrongKey, type Tenant, type TestServer } from "../testing/harness";
import { notificationConfig } from "./config";
import { handleInboundSms, handleUnsubscribeGet, handleUnsubscribePost } from "./hooks";
import type { Notification } from "./outbox";
import { startSmsProvider, startSmtpServer, type SmsStandIn, type SmtpStandIn } from "./stand-ins";
import { startNotificationWorker, type NotificationWorker } from "./worker";

process.env.ENGAGE_CONSOLE_SECRET ??= "notifications-test-secret-0123456789abcdef";

const ENV_NAMES = ["SMTP_URL", "SMTP_FROM", "SMS_API_URL", "SMS_ACCOUNT", "SMS_TOKEN", "SMS_FROM", "APP_WEBHOOK_URL", "APP_WEBHOOK_SECRET", "PUBLIC_URL"] as const;
const savedEnv = Object.fromEntries(ENV_NAMES.map((n) => [n, process.env[n]]));

const PUBLIC_URL = "https://console.example.test";
const SMS_TOKEN = "twilio-auth-token-0123456789";
/** What the inbound hook sees: the app behind a proxy, on another address than the public one. */
const HOOK_URL = "http://127.0.0.1:3000/api/hooks/sms";

let server: TestServer;
let smtp: SmtpStandIn;
let sms: SmsStandIn;
const workers: NotificationWorker[] = [];

beforeAll(async () => {
  server = await startTestServer({ rateLimit: null, notifications: false });
  [smtp, sms] = await Promise.all([startSmtpServer(), startSmsProvider()]);
  for (const name of ENV_NAMES) delete process.env[name];
  Object.assign(process.env, {
    SMTP_URL: smtp.url,
    SMS_API_URL: sms.baseUrl,
    SMS_ACCOUNT: sms.account,
    SMS_TOKEN: sms.token,
    SMS_FROM: "+19705550000",
    PUBLIC_URL,
  });
});
afterEach(async () => {
  while (workers.length > 0) await workers.pop()!.stop();
});
afterAll(async () => {
  await Promise.all([smtp?.close(), sms?.close()]);
  await server?.close();
  for (const name of ENV_NAMES) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

function deliverNow(): Promise<void> {
  const worker = startNotificationWorker(server.database, { pollMs: 3_600_000 });
  workers.push(worker);
  return worker.drain();
}

let seq = 2000;
const nextPhone = () => `303555${String(seq++).padStart(4, "0")}`;

async function register(key: string, body: Record<string, unknown>): Promise<Customer> {
  const r = await server.call<Customer>("POST", "/v1/Customers", { key, body });
  expect(r.status, r.text).toBe(201);
  return r.json;
}

async function customer(tenant: Tenant, id: number): Promise<Customer> {
  const r = await server.call<Customer>("GET", `/v1/Customers/${id}`, { key: tenant.groupKey });
  expect(r.status, r.text).toBe(200);
  return r.json;
}

async function history(tenant: Tenant, id: number): Promise<ConsentChange[]> {
  const r = await server.call<ConsentChange[]>("GET", `/v1/Customers/${id}/ConsentHistory`, { key: tenant.groupKey });
  expect(r.status, r.text).toBe(200);
  return r.json;
}

async function offer(tenant: Tenant, ids: number[]): Promise<void> {
  const created = await server.call<{ CampaignID: number }>("POST", "/v1/Campaigns/Group", {
    key: tenant.groupKey,
    body: { AmountOff: 4, DaysTillExpiration: 10, Message: "Hi {FirstName}, {AmountOff} off with {Code}." },
  });
  expect(created.status, created.text).toBe(201);
  expect((await server.call("POST", `/v1/Campaigns/${created.json.CampaignID}/Offers`, { key: tenant.groupKey, body: ids })).status).toBe(204);
  await server.drain();
}

async function outbox(tenant: Tenant, query: string): Promise<Notification[]> {
  const r = await server.call<Notification[]>("GET", `/v1/Notifications${query}`, { key: tenant.groupKey });
  expect(r.status, r.text).toBe(200);
  return r.json;
}

/** Twilio's signature, computed here from its documentation: the URL, then each field name and value, sorted by name. */
function twilioSign(url: string, fields: Record<string, string>): string {
  const data = url + Object.keys(fields).sort().map((k) => k + fields[k]).join("");
  return createHmac("sha1", SMS_TOKEN).update(data).digest("base64");
}

const inboundConfig = () => notificationConfig({ ...process.env, SMS_TOKEN, PUBLIC_URL });

/** Twilio posting an inbound message to our webhook. */
async function inbound(from: string, body: string, signature: "valid" | "forged" | "none" = "valid"): Promise<Response> {
  const fields = { MessageSid: `SM${seq}`, AccountSid: "AC0123", From: `+1${from}`, To: "+19705550000", Body: body, NumMedia: "0" };
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (signature === "valid") headers["x-twilio-signature"] = twilioSign(`${PUBLIC_URL}/api/hooks/sms`, fields);
  if (signature === "forged") headers["x-twilio-signature"] = twilioSign(`${PUBLIC_URL}/api/hooks/sms`, { ...fields, Body: "START" });
  return handleInboundSms(new Request(HOOK_URL, { method: "POST", headers, body: new URLSearchParams(fields).toString() }), server.database, inboundConfig());
}

const smsConsent = async (pairs: [Tenant, Customer][]) => Promise.all(pairs.map(async ([t, c]) => (await customer(t, c.CustomerID)).AcceptsSMS));
const smsReplies = (changes: ConsentChange[]) => changes.filter((c) => c.Channel === "SMS" && c.Actor === "SMS reply").map((c) => c.Accepted);

test("STOP in any case and with other words turns AcceptsSMS off for every customer with the phone; START turns it back on; each change recorded", async () => {
  const [a, b] = [await server.createTenant(1), await server.createTenant(1)];
  const phone = nextPhone();
  const inA = await register(a.groupKey, { Phone: phone, FirstName: "Sam", AcceptsSMS: true, AcceptsEmail: true, Email: `sam${seq}@example.com` });
  const inB = await register(b.groupKey, { Phone: phone, AcceptsSMS: true });
  const neighbour = await register(a.groupKey, { Phone: nextPhone(), AcceptsSMS: true });
  const both: [Tenant, Customer][] = [
    [a, inA],
    [b, inB],
  ];

  const stop = await inbound(phone, "STOP");
  expect(stop.status).toBe(200);
  expect(stop.headers.get("content-type")).toMatch(/^text\/xml/);
  expect(await stop.text()).toBe(
    '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Message>You are unsubscribed and will get no more offers by text. Reply START to resubscribe.</Message></Response>',
  );
  expect(await smsConsent(both)).toEqual([false, false]);
  expect((await customer(a, inA.CustomerID)).AcceptsEmail).toBe(true);
  expect((await customer(a, neighbour.CustomerID)).AcceptsSMS).toBe(true);
  const [latest] = await history(a, inA.CustomerID);
  expect(latest).toMatchObject({ Channel: "SMS", Accepted: false, ActorType: "system", Actor: "SMS reply" });

  // Already off: answered, nothing more recorded.
  expect((await inbound(phone, "stop please")).status).toBe(200);
  expect(smsReplies(await history(a, inA.CustomerID))).toEqual([false]);

  expect(await (await inbound(phone, "Start")).text()).toContain("You are subscribed to offers by text again.");
  expect(await smsConsent(both)).toEqual([true, true]);
  expect(smsReplies(await history(b, inB.CustomerID))).toEqual([true, false]);

  for (const [i, words] of ["stop please", "Opt Out", "please STOP texting me", "opt-out", "QUIT", "end", "Revoke", "cancel", "UNSUBSCRIBE now", "Stop."].entries()) {
    expect((await inbound(phone, words)).status).toBe(200);
    expect(await smsConsent(both), words).toEqual([false, false]);
    expect((await inbound(phone, i % 2 === 0 ? "START" : "start please")).status).toBe(200);
    expect(await smsConsent(both), `START after ${words}`).toEqual([true, true]);
  }

  // Not a keyword: an empty answer and no change; "START" inside a sentence opts nobody in.
  for (const words of ["hello", "when do you open?", "stopped by yesterday", "I want to start over"]) {
    const r = await inbound(phone, words);
    expect(await r.text()).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<Response></Response>');
  }
  await inbound(phone, "STOP");
  await inbound(phone, "please start again");
  expect(await smsConsent(both)).toEqual([false, false]);
  expect(await (await inbound(phone, "HELP")).text()).toContain("Reply STOP to unsubscribe");
});

test("START restores only what a text had turned off: never consent the customer had not given", async () => {
  const tenant = await server.createTenant(1);
  const phone = nextPhone();
  const never = await register(tenant.groupKey, { Phone: phone, AcceptsSMS: false });
  const other = await server.createTenant(1);
  const byStaff = await register(other.groupKey, { Phone: phone, AcceptsSMS: true });
  await server.call("PUT", `/v1/Customers/${byStaff.CustomerID}`, { key: other.groupKey, body: { AcceptsSMS: false } });

  await inbound(phone, "START");
  expect((await customer(tenant, never.CustomerID)).AcceptsSMS).toBe(false);
  expect((await customer(other, byStaff.CustomerID)).AcceptsSMS).toBe(false);
  expect(await history(tenant, never.CustomerID)).toEqual([]);
});

test("a forged or missing Twilio signature is refused (403) and changes nothing; a form is required", async () => {
  const tenant = await server.createTenant(1);
  const phone = nextPhone();
  const c = await register(tenant.groupKey, { Phone: phone, AcceptsSMS: true });

  expect((await inbound(phone, "STOP", "forged")).status).toBe(403);
  expect((await inbound(phone, "STOP", "none")).status).toBe(403);
  expect((await customer(tenant, c.CustomerID)).AcceptsSMS).toBe(true);
  expect(await history(tenant, c.CustomerID)).toHaveLength(1);

  // The signature over the address requested (no PUBLIC_URL in front) is good too.
  const fields = { From: `+1${phone}`, To: "+19705550000", Body: "stop" };
  const direct = await handleInboundSms(
    new Request(HOOK_URL, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilioSign(HOOK_URL, fields) },
      body: new URLSearchParams(fields).toString(),
    }),
    server.database,
    inboundConfig(),
  );
  expect(direct.status).toBe(200);
  expect((await customer(tenant, c.CustomerID)).AcceptsSMS).toBe(false);

  const json = await handleInboundSms(
    new Request(HOOK_URL, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fields) }),
    server.database,
    inboundConfig(),
  );
  expect(json.status).toBe(415);

  // Without SMS_TOKEN there is nothing to check a signature with: nothing is accepted.
  const unset = await handleInboundSms(
    new Request(HOOK_URL, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ From: `+1${phone}`, Body: "START" }).toString() }),
    server.database,
    notificationConfig({ PUBLIC_URL }),
  );
  expect(unset.status).toBe(403);
  expect((await customer(tenant, c.CustomerID)).AcceptsSMS).toBe(false);
});

test("a text waiting in the outbox when the customer replies STOP is not sent", async () => {
  const tenant = await server.createTenant(1);
  const phone = nextPhone();
  const c = await register(tenant.groupKey, { Phone: phone, AcceptsSMS: true, FirstName: "Kim" });
  await offer(tenant, [c.CustomerID]);
  expect((await outbox(tenant, "?Channel=SMS"))[0].Status).toBe("Pending");
  await inbound(phone, "Stop sending these");
  await deliverNow();
  expect((await outbox(tenant, "?Channel=SMS"))[0]).toMatchObject({ Status: "NotSent", Reason: "consent withdrawn", Attempts: 0 });
  expect(sms.received.filter((m) => m.To === `+1${phone}`)).toEqual([]);

  // Back on with START: the next offer's text goes out.
  await inbound(phone, "START");
  await offer(tenant, [c.CustomerID]);
  await deliverNow();
  expect(sms.received.filter((m) => m.To === `+1${phone}`).map((m) => m.Body)).toEqual([expect.stringMatching(/^Hi Kim, \$4\.00 off with [2-9A-Z]{8}\. Expires \w{3} \d{1,2}, \d{4}\. Reply STOP to opt out\.$/)]);
});

const form = (body: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(body).toString(),
});

test("the email's one-click unsubscribe (RFC 8058) turns AcceptsEmail off, is recorded, and a pending email is then not sent", async () => {
  const tenant = await server.createTenant(1);
  const email = `lin${seq++}@example.com`;
  const c = await register(tenant.groupKey, { Email: email, FirstName: "Lin", AcceptsEmail: true });
  await offer(tenant, [c.CustomerID]);
  await deliverNow();
  const mail = smtp.received.find((m) => m.text?.includes("Hi Lin"))!;
  const oneClick = /<([^>]+)>/.exec(mail.headerLines.find((h) => h.key === "list-unsubscribe")!.line)![1];
  expect(oneClick.startsWith(`${PUBLIC_URL}/api/unsubscribe?token=`)).toBe(true);

  // A second offer's email waits in the outbox while the customer clicks "Unsubscribe" in their mail client.
  await offer(tenant, [c.CustomerID]);
  const pending = (await outbox(tenant, "?Channel=Email&Status=Pending"))[0];
  expect(pending).toBeDefined();
  const clicked = await handleUnsubscribePost(new Request(oneClick, form({ "List-Unsubscribe": "One-Click" })), server.database);
  expect(clicked.status).toBe(200);
  expect(await clicked.text()).toMatch(/^Unsubscribed: Test group \d+ will send no more offers to l•••@example\.com\.$/);
  expect((await customer(tenant, c.CustomerID)).AcceptsEmail).toBe(false);
  expect((await history(tenant, c.CustomerID))[0]).toMatchObject({ Channel: "Email", Accepted: false, ActorType: "system", Actor: "Unsubscribe link" });

  await deliverNow();
  const after = await server.call<Notification>("GET", `/v1/Notifications/${pending.NotificationID}`, { key: tenant.groupKey });
  expect(after.json).toMatchObject({ Status: "NotSent", Reason: "consent withdrawn", Attempts: 0 });
  expect(smtp.received.filter((m) => m.text?.includes("Hi Lin"))).toHaveLength(1);

  // Clicking again is fine and records nothing new.
  expect((await handleUnsubscribePost(new Request(oneClick, form({ "List-Unsubscribe": "One-Click" })), server.database)).status).toBe(200);
  expect((await history(tenant, c.CustomerID)).filter((h) => h.Channel === "Email")).toHaveLength(2);
});

test("unsubscribe links cannot be forged; the page's button comes back to the page; a GET only shows the page", async () => {
  const tenant = await server.createTenant(1);
  const victim = await register(tenant.groupKey, { Email: `victim${seq++}@example.com`, AcceptsEmail: true });
  const me = await register(tenant.groupKey, { Email: `me${seq++}@example.com`, FirstName: "Mo", AcceptsEmail: true });
  await offer(tenant, [me.CustomerID]);
  await deliverNow();
  const mail = smtp.received.find((m) => m.text?.includes("Hi Mo"))!;
  const token = new URL(/<([^>]+)>/.exec(mail.headerLines.find((h) => h.key === "list-unsubscribe")!.line)![1]).searchParams.get("token")!;
  const [pk, signature] = token.split(".");

  // Another customer's number with my signature, a changed signature, junk: 404, nothing changes.
  const victimPk = (await server.database.db.selectFrom("customers").select("id").where("email", "=", victim.Email).executeTakeFirstOrThrow()).id;
  for (const bad of [`${victimPk}.${signature}`, `${pk}.${wrongKey(signature)}`, "junk", ""]) {
    const r = await handleUnsubscribePost(new Request(`${PUBLIC_URL}/api/unsubscribe?token=${encodeURIComponent(bad)}`, form({ "List-Unsubscribe": "One-Click" })), server.database);
    expect(r.status, bad).toBe(404);
  }
  expect((await customer(tenant, victim.CustomerID)).AcceptsEmail).toBe(true);
  expect((await customer(tenant, me.CustomerID)).AcceptsEmail).toBe(true);

  const fromPage = await handleUnsubscribePost(new Request(`${PUBLIC_URL}/api/unsubscribe?token=${token}`, form({ source: "page" })), server.database);
  expect(fromPage.status).toBe(303);
  expect(fromPage.headers.get("location")).toBe(`/unsubscribe?token=${encodeURIComponent(token)}&done=1`);
  expect((await customer(tenant, me.CustomerID)).AcceptsEmail).toBe(false);

  const opened = handleUnsubscribeGet(new Request(`${PUBLIC_URL}/api/unsubscribe?token=${token}`));
  expect(opened.status).toBe(303);
  expect(opened.headers.get("location")).toBe(`/unsubscribe?token=${encodeURIComponent(token)}`);

  const notForm = await handleUnsubscribePost(new Request(`${PUBLIC_URL}/api/unsubscribe?token=${token}`, { method: "POST", body: "x" }), server.database);
  expect(notForm.status).toBe(415);
});
