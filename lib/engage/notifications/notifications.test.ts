// Notifications (ENGAGE_API.md §8) end to end: offers issued through the real API queue one
// message per consented channel in the offer's transaction; the worker delivers them to real
// local servers (an SMTP server, a Twilio-shaped SMS provider, a webhook receiver that checks
// the signature), retries with backoff and records every attempt, never delivers one message
// twice with two workers, and checks consent again at delivery.
import { afterAll, afterEach, beforeAll, beforeEach, expect, expectTypeOf, test } from "vitest";
import type { z } from "zod";
import type { notificationAttemptResponse, notificationResponse } from "../schemas/responses";
import type { Customer } from "../schemas/customer";
import { startTestServer, type Tenant, type TestServer } from "../testing/harness";
import type { Notification, NotificationAttempt } from "./outbox";
import { startAppReceiver, startSmsProvider, startSmtpServer, type AppStandIn, type SmsStandIn, type SmtpStandIn } from "./stand-ins";
import { startNotificationWorker, type NotificationWorker, type NotificationWorkerOptions } from "./worker";

process.env.ENGAGE_CONSOLE_SECRET ??= "notifications-test-secret-0123456789abcdef";

const ENV_NAMES = ["SMTP_URL", "SMTP_FROM", "SMS_API_URL", "SMS_ACCOUNT", "SMS_TOKEN", "SMS_FROM", "APP_WEBHOOK_URL", "APP_WEBHOOK_SECRET", "PUBLIC_URL"] as const;
const savedEnv = Object.fromEntries(ENV_NAMES.map((n) => [n, process.env[n]]));

/** Sets exactly these channels' variables (the others are removed). */
function configure(vars: Partial<Record<(typeof ENV_NAMES)[number], string>>): void {
  for (const name of ENV_NAMES) {
    if (vars[name] === undefined) delete process.env[name];
    else process.env[name] = vars[name];
  }
}

let server: TestServer;
let smtp: SmtpStandIn;
let sms: SmsStandIn;
let app: AppStandIn;
const workers: NotificationWorker[] = [];

const PUBLIC_URL = "https://console.example.test";
const FAST_RETRY = { baseMs: 200, maxMs: 2_000, maxAttempts: 4 };

/** A worker that runs only when told (drain), so each test decides when deliveries happen. */
function newWorker(options: NotificationWorkerOptions = {}): NotificationWorker {
  const worker = startNotificationWorker(server.database, { pollMs: 3_600_000, retry: FAST_RETRY, ...options });
  workers.push(worker);
  return worker;
}

beforeAll(async () => {
  // No runtime worker (it would deliver on its own schedule: these tests start theirs), no rate
  // limit (some tests make many requests).
  server = await startTestServer({ rateLimit: null, notifications: false });
  [smtp, sms, app] = await Promise.all([startSmtpServer(), startSmsProvider(), startAppReceiver()]);
});
afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await Promise.all([smtp?.close(), sms?.close(), app?.close()]);
  await server?.close();
  for (const name of ENV_NAMES) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});
beforeEach(() => {
  configure({});
  smtp.received.length = 0;
  smtp.refuse.clear();
  sms.received.length = 0;
  sms.script.length = 0;
  sms.delayMs = 0;
  app.received.length = 0;
  app.refused.length = 0;
});
afterEach(async () => {
  while (workers.length > 0) await workers.pop()!.stop();
  // No test's messages wait for the next test's worker.
  await server.database.db.updateTable("notifications").set({ status: "NotSent", reason: "test ended" }).where("status", "=", "Pending").execute();
});

const allChannels = () =>
  configure({
    SMTP_URL: smtp.url,
    SMTP_FROM: "Bark & Meow <offers@barkandmeow.example>",
    SMS_API_URL: sms.baseUrl,
    SMS_ACCOUNT: sms.account,
    SMS_TOKEN: sms.token,
    SMS_FROM: "+19705550000",
    APP_WEBHOOK_URL: app.url,
    APP_WEBHOOK_SECRET: app.secret,
    PUBLIC_URL,
  });

let phoneSeq = 1000;
const nextPhone = () => `970555${String(phoneSeq++).padStart(4, "0")}`;

async function register(key: string, body: Record<string, unknown>): Promise<Customer> {
  const r = await server.call<Customer>("POST", "/v1/Customers", { key, body });
  expect(r.status, r.text).toBe(201);
  return r.json;
}

/** A customer who agreed to both SMS and email. */
function fan(key: string, extra: Record<string, unknown> = {}): Promise<Customer> {
  const phone = nextPhone();
  return register(key, { FirstName: "Ada", LastName: "Lovelace", Phone: phone, Email: `ada${phone}@example.com`, AcceptsSMS: true, AcceptsEmail: true, ...extra });
}

const CAMPAIGN = {
  AmountOff: 5,
  MinimumPurchase: 20,
  DaysTillExpiration: 30,
  Name: "Spring",
  Message: "Hi {FirstName}! {AmountOff} off {minimumpurchase}+ with { Code } until {ExpiresAt} at {LocationName}. {Unknown}",
};

/** A group campaign sent to these customers, its offers decided: returns the CampaignID. */
async function offer(tenant: Tenant, customerIds: number[], body: object = CAMPAIGN): Promise<number> {
  const created = await server.call<{ CampaignID: number }>("POST", "/v1/Campaigns/Group", { key: tenant.groupKey, body });
  expect(created.status, created.text).toBe(201);
  const sent = await server.call("POST", `/v1/Campaigns/${created.json.CampaignID}/Offers`, { key: tenant.groupKey, body: customerIds });
  expect(sent.status, sent.text).toBe(204);
  await server.drain();
  return created.json.CampaignID;
}

async function outbox(key: string, query = ""): Promise<Notification[]> {
  const r = await server.call<Notification[]>("GET", `/v1/Notifications${query}`, { key });
  expect(r.status, r.text).toBe(200);
  return r.json;
}

async function detail(key: string, id: number): Promise<Notification & { AttemptLog: NotificationAttempt[] }> {
  const r = await server.call<Notification & { AttemptLog: NotificationAttempt[] }>("GET", `/v1/Notifications/${id}`, { key });
  expect(r.status, r.text).toBe(200);
  return r.json;
}

const byChannel = (items: Notification[], channel: Notification["Channel"]) => items.filter((n) => n.Channel === channel);

test("without a transport (the embedded default) messages stay in the outbox as not sent: no transport", async () => {
  const tenant = await server.createTenant(1);
  const customer = await fan(tenant.groupKey);
  const campaignId = await offer(tenant, [customer.CustomerID]);
  await newWorker().drain();

  const items = await outbox(tenant.groupKey);
  expect(items.map((n) => [n.Channel, n.Status, n.Reason, n.Attempts]).sort()).toEqual([
    ["Email", "NotSent", "no transport", 0],
    ["SMS", "NotSent", "no transport", 0],
  ]);
  const [sms] = byChannel(items, "SMS");
  expect(sms).toMatchObject({ CampaignID: campaignId, CustomerID: customer.CustomerID, TemplateName: "manual", Recipient: `•••• ${customer.Phone!.slice(-4)}` });
  expect(sms.OfferID).toBeGreaterThan(0);
  expect(byChannel(items, "Email")[0].Recipient).toBe(`a•••@example.com`);
  expect(sms.NextAttemptAt).toBeNull();
  expect(sms.SentAt).toBeNull();
});

test("only the channels a customer consented to get a message; App when the merchant's webhook is configured", async () => {
  const tenant = await server.createTenant(1);
  const both = await fan(tenant.groupKey);
  const smsOnly = await register(tenant.groupKey, { Phone: nextPhone(), Email: `sms-only${phoneSeq}@example.com`, AcceptsSMS: true });
  const emailOnly = await register(tenant.groupKey, { Phone: nextPhone(), Email: `email-only${phoneSeq}@example.com`, AcceptsEmail: true });
  const consentNoPhone = await register(tenant.groupKey, { Email: `no-phone${phoneSeq}@example.com`, AcceptsSMS: true });
  const nothing = await register(tenant.groupKey, { ExternalID: `POS-${phoneSeq}` });

  await offer(tenant, [both, smsOnly, emailOnly, consentNoPhone, nothing].map((c) => c.CustomerID));
  const channelsOf = async () => {
    const map = new Map<number, string[]>();
    for (const n of await outbox(tenant.groupKey, "?PageSize=200")) map.set(n.CustomerID, [...(map.get(n.CustomerID) ?? []), n.Channel].sort());
    return map;
  };
  expect(await channelsOf()).toEqual(
    new Map([
      [both.CustomerID, ["Email", "SMS"]],
      [smsOnly.CustomerID, ["SMS"]],
      [emailOnly.CustomerID, ["Email"]],
    ]),
  );

  // With the merchant's app webhook configured, every offer also goes to the app.
  configure({ APP_WEBHOOK_URL: app.url, APP_WEBHOOK_SECRET: app.secret });
  const later = await register(tenant.groupKey, { ExternalID: `POS-app-${phoneSeq}` });
  await offer(tenant, [later.CustomerID, both.CustomerID]);
  const items = await outbox(tenant.groupKey, "?PageSize=200");
  expect(items.filter((n) => n.CustomerID === later.CustomerID).map((n) => n.Channel)).toEqual(["App"]);
  expect(items.filter((n) => n.CustomerID === both.CustomerID).map((n) => n.Channel).sort()).toEqual(["App", "Email", "Email", "SMS", "SMS"]);
});

test("an email reaches a real SMTP server with List-Unsubscribe, List-Unsubscribe-Post and the merge fields filled", async () => {
  allChannels();
  const tenant = await server.createTenant(1);
  const customer = await fan(tenant.groupKey, { AcceptsSMS: false });
  await offer(tenant, [customer.CustomerID]);
  const [queued] = byChannel(await outbox(tenant.groupKey), "Email");
  expect(queued.Status).toBe("Pending");
  expect(queued.NextAttemptAt).not.toBeNull();

  await newWorker().drain();
  expect(smtp.received).toHaveLength(1);
  const mail = smtp.received[0];
  const offerRow = await server.call<{ Code: string; ExpiresAt: string }>("GET", `/v1/Offers/${queued.OfferID}`, { key: tenant.groupKey });
  const code = offerRow.json.Code;
  const expiry = new Intl.DateTimeFormat("en-US", { dateStyle: "medium" }).format(new Date(offerRow.json.ExpiresAt));

  expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0] : null).toMatchObject({ address: customer.Email, name: "Ada Lovelace" });
  expect(mail.from?.value[0].address).toBe("offers@barkandmeow.example");
  expect(mail.subject).toMatch(/^\$5\.00 off at Test group \d+$/);
  expect(mail.text).toContain(`Hi Ada! $5.00 off $20.00+ with ${code} until ${expiry} at `);
  // A merge field that does not exist stays as written, so a typo is visible, not silently dropped.
  expect(mail.text).toContain("{Unknown}");
  expect(mail.html).toContain(code);
  expect(mail.messageId).toBe(`<notification-${queued.NotificationID}@barkandmeow.example>`);

  const header = (name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, "");
  expect(header("list-unsubscribe")).toMatch(new RegExp(`^<${PUBLIC_URL}/api/unsubscribe\\?token=\\d+\\.[\\w-]{43}>$`));
  expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
  // The body's own link goes to the page, which asks before unsubscribing.
  expect(mail.text).toContain(`${PUBLIC_URL}/unsubscribe?token=`);

  const sent = await detail(tenant.groupKey, queued.NotificationID);
  expect(sent).toMatchObject({ Status: "Sent", Reason: null, Attempts: 1, LastError: null, NextAttemptAt: null });
  expect(sent.SentAt).not.toBeNull();
  expect(sent.AttemptLog).toHaveLength(1);
  expect(sent.AttemptLog[0]).toMatchObject({ Attempt: 1, Outcome: "Sent", Error: null, ProviderID: mail.messageId });
});

test("the group's name stands in for the location in a group-wide offer, and the template's default text when there is no Message", async () => {
  allChannels();
  const tenant = await server.createTenant(1);
  const customer = await fan(tenant.groupKey, { AcceptsSMS: false, FirstName: null });
  await offer(tenant, [customer.CustomerID], { AmountOff: 2.5, DaysTillExpiration: 7 });
  await newWorker().drain();
  expect(smtp.received).toHaveLength(1);
  const group = `Test group`;
  expect(smtp.received[0].subject).toMatch(new RegExp(`^\\$2\\.50 off at ${group} \\d+$`));
  expect(smtp.received[0].text).toMatch(new RegExp(`^Hi friend, enjoy \\$2\\.50 off at ${group} \\d+!`));
  // No minimum purchase: the terms do not mention one.
  expect(smtp.received[0].text).not.toContain(" or more");
});

test("an SMS reaches the provider's Messages API with Basic auth, the merge fields and the opt-out line", async () => {
  allChannels();
  const tenant = await server.createTenant(1);
  const customer = await fan(tenant.groupKey, { AcceptsEmail: false });
  await offer(tenant, [customer.CustomerID]);
  await newWorker().drain();

  expect(sms.unauthorized).toBe(0);
  expect(sms.received).toHaveLength(1);
  const message = sms.received[0];
  expect(message.To).toBe(`+1${customer.Phone}`);
  expect(message.From).toBe("+19705550000");
  expect(message.Body).toMatch(/^Hi Ada! \$5\.00 off \$20\.00\+ with [2-9A-Z]{8} until \w{3} \d{1,2}, \d{4} at Test group \d+\. \{Unknown\} Reply STOP to opt out\.$/);

  const [row] = byChannel(await outbox(tenant.groupKey), "SMS");
  expect(row).toMatchObject({ Status: "Sent", Attempts: 1, Recipient: `•••• ${customer.Phone!.slice(-4)}` });
  const logged = await detail(tenant.groupKey, row.NotificationID);
  expect(logged.AttemptLog).toEqual([expect.objectContaining({ Outcome: "Sent", ProviderID: message.sid })]);
});

test("the app webhook gets a signed JSON body its receiver verifies; one signed with a wrong secret is refused", async () => {
  allChannels();
  const tenant = await server.createTenant(1);
  const customer = await register(tenant.groupKey, { FirstName: "Grace", ExternalID: `POS-g-${phoneSeq++}` });
  await offer(tenant, [customer.CustomerID]);
  await newWorker().drain();

  expect(app.refused).toEqual([]);
  expect(app.received).toHaveLength(1);
  const delivery = app.received[0];
  const [row] = byChannel(await outbox(tenant.groupKey), "App");
  expect(delivery.body).toMatchObject({
    Event: "offer.issued",
    NotificationID: row.NotificationID,
    Customer: { CustomerID: customer.CustomerID, FirstName: "Grace" },
    Offer: { OfferID: row.OfferID, CustomerID: customer.CustomerID, AmountOff: 5, MinimumPurchase: 20, Status: "Active" },
  });
  expect(delivery.delivery).toBe(String(row.NotificationID));
  expect(Math.abs(delivery.timestamp - Date.now() / 1000)).toBeLessThan(60);
  expect(row).toMatchObject({ Status: "Sent", Attempts: 1, Recipient: new URL(app.url).host });

  // Signed with another secret: the receiver refuses it (401), which no retry can change.
  configure({ APP_WEBHOOK_URL: app.url, APP_WEBHOOK_SECRET: "not-the-receivers-secret-at-all" });
  await offer(tenant, [customer.CustomerID]);
  await newWorker().drain();
  expect(app.refused).toEqual([{ reason: "bad signature" }]);
  const forged = (await outbox(tenant.groupKey, "?Channel=app&Status=failed"))[0];
  expect(forged).toMatchObject({ Status: "Failed", Reason: "refused", Attempts: 1, LastError: "webhook answered 401" });
});

test("a delivery that fails twice and then succeeds is retried with backoff and its three attempts recorded", async () => {
  allChannels();
  const tenant = await server.createTenant(1);
  const customer = await fan(tenant.groupKey, { AcceptsEmail: false });
  sms.script.push(
    { status: 503, code: 20500, message: "Service Unavailable" },
    { status: 500, code: 20500, message: "Internal Server Error" },
  );
  await offer(tenant, [customer.CustomerID]);
  const worker = newWorker({ pollMs: 20 });
  const [queued] = byChannel(await outbox(tenant.groupKey), "SMS");

  await worker.drain();
  const afterFirst = await detail(tenant.groupKey, queued.NotificationID);
  expect(afterFirst).toMatchObject({ Status: "Pending", Attempts: 1, LastError: "SMS provider answered 503: 20500 Service Unavailable" });
  const wait = Date.parse(afterFirst.NextAttemptAt!) - Date.parse(afterFirst.LastAttemptAt!);
  // The first retry waits half to all of the base delay (equal jitter).
  expect(wait).toBeGreaterThanOrEqual(FAST_RETRY.baseMs / 2 - 5);
  expect(wait).toBeLessThanOrEqual(FAST_RETRY.baseMs + 50);

  const deadline = Date.now() + 10_000;
  let final = afterFirst;
  while (final.Status === "Pending" && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    final = await detail(tenant.groupKey, queued.NotificationID);
  }
  expect(final).toMatchObject({ Status: "Sent", Attempts: 3, LastError: null, Reason: null });
  expect(final.AttemptLog.map((a) => [a.Attempt, a.Outcome, a.Error])).toEqual([
    [1, "Retry", "SMS provider answered 503: 20500 Service Unavailable"],
    [2, "Retry", "SMS provider answered 500: 20500 Internal Server Error"],
    [3, "Sent", null],
  ]);
  const [t1, t2, t3] = final.AttemptLog.map((a) => Date.parse(a.AttemptedAt));
  // Each wait at least half its ceiling, and the ceiling doubles: ≥ 100 ms, then ≥ 200 ms.
  expect(t2 - t1).toBeGreaterThanOrEqual(FAST_RETRY.baseMs / 2 - 5);
  expect(t3 - t2).toBeGreaterThanOrEqual(FAST_RETRY.baseMs - 5);
  expect(sms.received).toHaveLength(1);
  expect(final.AttemptLog[2].ProviderID).toBe(sms.received[0].sid);
});

test("a refusal no retry can change (an invalid number, a refused mailbox) fails at once; a failure that persists gives up", async () => {
  allChannels();
  const tenant = await server.createTenant(1);
  const customer = await fan(tenant.groupKey);
  sms.script.push({ status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
  smtp.refuse.set(customer.Email!, 550);
  await offer(tenant, [customer.CustomerID]);
  await newWorker().drain();

  const items = await outbox(tenant.groupKey);
  expect(byChannel(items, "SMS")[0]).toMatchObject({
    Status: "Failed",
    Reason: "refused",
    Attempts: 1,
    LastError: "SMS provider answered 400: 21211 The 'To' number is not a valid phone number.",
  });
  const email = byChannel(items, "Email")[0];
  expect(email).toMatchObject({ Status: "Failed", Reason: "refused", Attempts: 1 });
  expect(email.LastError).toContain("550");

  // 503 every time: retried up to the limit, each attempt recorded, then Failed.
  const other = await fan(tenant.groupKey, { AcceptsEmail: false });
  for (let i = 0; i < FAST_RETRY.maxAttempts; i++) sms.script.push({ status: 503, code: 20500, message: "Service Unavailable" });
  await offer(tenant, [other.CustomerID]);
  const worker = newWorker({ pollMs: 20 });
  const [row] = await outbox(tenant.groupKey, `?CustomerID=${other.CustomerID}&Channel=SMS`);
  const deadline = Date.now() + 15_000;
  let final = await detail(tenant.groupKey, row.NotificationID);
  while (final.Status === "Pending" && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    final = await detail(tenant.groupKey, row.NotificationID);
  }
  await worker.stop();
  expect(final).toMatchObject({ Status: "Failed", Reason: `gave up after ${FAST_RETRY.maxAttempts} attempts`, Attempts: FAST_RETRY.maxAttempts });
  expect(final.AttemptLog.map((a) => a.Outcome)).toEqual(["Retry", "Retry", "Retry", "Failed"]);
});

test("consent is checked again at delivery: withdrawn after the offer, nothing is sent", async () => {
  allChannels();
  const tenant = await server.createTenant(1);
  const customer = await fan(tenant.groupKey);
  await offer(tenant, [customer.CustomerID]);
  // The customer changes their mind at the till before the worker gets to it.
  const put = await server.call("PUT", `/v1/Customers/${customer.CustomerID}`, {
    key: tenant.locations[0].key,
    body: { AcceptsSMS: false, AcceptsEmail: false },
  });
  expect(put.status, put.text).toBe(200);
  await newWorker().drain();

  expect(smtp.received).toHaveLength(0);
  expect(sms.received).toHaveLength(0);
  const items = await outbox(tenant.groupKey);
  expect(items.map((n) => [n.Channel, n.Status, n.Reason, n.Attempts]).sort()).toEqual([
    ["App", "Sent", null, 1],
    ["Email", "NotSent", "consent withdrawn", 0],
    ["SMS", "NotSent", "consent withdrawn", 0],
  ]);

  // A phone removed after the offer: "no phone". An offer redeemed before delivery: not sent either.
  const second = await fan(tenant.groupKey);
  await offer(tenant, [second.CustomerID]);
  await server.call("PUT", `/v1/Customers/${second.CustomerID}`, { key: tenant.groupKey, body: { Phone: null } });
  const [emailRow] = byChannel(await outbox(tenant.groupKey, `?CustomerID=${second.CustomerID}`), "Email");
  const code = (await server.call<{ Code: string }>("GET", `/v1/Offers/${emailRow.OfferID}`, { key: tenant.groupKey })).json.Code;
  const receipt = await server.call<{ Redemptions: { Status: string }[] }>("POST", "/v1/Receipts", {
    key: tenant.locations[0].key,
    body: { CustomerID: second.CustomerID, Skus: [{ SKU: "SOCKS", Amount: 30, Quantity: 1 }], Discounts: [{ Code: code, Amount: 5 }], SubTotal: 30, Taxes: 0, Total: 25 },
  });
  expect(receipt.json.Redemptions[0].Status).toBe("Redeemed");
  await newWorker().drain();
  const secondItems = await outbox(tenant.groupKey, `?CustomerID=${second.CustomerID}`);
  expect(secondItems.map((n) => [n.Channel, n.Status, n.Reason]).sort()).toEqual([
    ["App", "NotSent", "offer redeemed"],
    ["Email", "NotSent", "offer redeemed"],
    ["SMS", "NotSent", "no phone"],
  ]);
});

test("two workers on one database never deliver one message twice", async () => {
  configure({ SMS_API_URL: sms.baseUrl, SMS_ACCOUNT: sms.account, SMS_TOKEN: sms.token, SMS_FROM: "MG0123456789abcdef0123456789abcdef" });
  const tenant = await server.createTenant(1);
  const customers: Customer[] = [];
  for (let i = 0; i < 40; i++) customers.push(await register(tenant.groupKey, { Phone: nextPhone(), AcceptsSMS: true }));
  await offer(tenant, customers.map((c) => c.CustomerID));
  sms.delayMs = 15;
  const a = newWorker({ batchSize: 5, concurrency: 3 });
  const b = newWorker({ batchSize: 5, concurrency: 3 });
  await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);

  expect(sms.received).toHaveLength(40);
  expect(new Set(sms.received.map((m) => m.To)).size).toBe(40);
  // A messaging service id is sent as such, not as a From number.
  expect(sms.received.every((m) => m.MessagingServiceSid === "MG0123456789abcdef0123456789abcdef" && m.From === null)).toBe(true);
  const items = await outbox(tenant.groupKey, "?PageSize=200");
  expect(items.every((n) => n.Status === "Sent" && n.Attempts === 1)).toBe(true);
  const attempts = await server.database.db
    .selectFrom("notification_attempts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where(
      "notification_id",
      "in",
      items.map((n) => n.NotificationID),
    )
    .executeTakeFirstOrThrow();
  expect(Number(attempts.n)).toBe(40);
});

test("a stopped worker hands its claimed messages back, and a new one delivers them", async () => {
  configure({ SMS_API_URL: sms.baseUrl, SMS_ACCOUNT: sms.account, SMS_TOKEN: sms.token, SMS_FROM: "+19705550000" });
  const tenant = await server.createTenant(1);
  const customers: Customer[] = [];
  for (let i = 0; i < 6; i++) customers.push(await register(tenant.groupKey, { Phone: nextPhone(), AcceptsSMS: true }));
  await offer(tenant, customers.map((c) => c.CustomerID));
  sms.delayMs = 100;
  const first = newWorker({ batchSize: 6, concurrency: 1 });
  await new Promise((resolve) => setTimeout(resolve, 150));
  await first.stop();
  const sentByFirst = sms.received.length;
  expect(sentByFirst).toBeGreaterThan(0);
  expect(sentByFirst).toBeLessThan(6);
  const leased = await server.database.db.selectFrom("notifications").select("id").where("lease_owner", "is not", null).execute();
  expect(leased).toEqual([]);

  sms.delayMs = 0;
  await newWorker().drain();
  expect(sms.received).toHaveLength(6);
  expect(new Set(sms.received.map((m) => m.To)).size).toBe(6);
});

test("GET /v1/Notifications: paged and filtered, newest first; a location key sees its location's offers' messages only", async () => {
  const tenant = await server.createTenant(2);
  const [north, south] = tenant.locations;
  const people: Customer[] = [];
  for (let i = 0; i < 3; i++) people.push(await fan(north.key));
  // Group-wide offers: the group's messages.
  const groupCampaign = await offer(tenant, people.map((p) => p.CustomerID));
  // A location's own campaign, to customers who bought there.
  for (const p of people.slice(0, 2)) {
    const r = await server.call("POST", "/v1/Receipts", {
      key: north.key,
      body: { CustomerID: p.CustomerID, Skus: [{ SKU: "SOCKS", Amount: 10, Quantity: 1 }], SubTotal: 10, Taxes: 0, Total: 10 },
    });
    expect(r.status, r.text).toBe(201);
  }
  const local = await server.call<{ CampaignID: number }>("POST", "/v1/Campaigns/Location", { key: north.key, body: { AmountOff: 3, DaysTillExpiration: 5 } });
  expect(local.status, local.text).toBe(201);
  expect((await server.call("POST", `/v1/Campaigns/${local.json.CampaignID}/Offers`, { key: north.key, body: people.map((p) => p.CustomerID) })).status).toBe(204);
  await server.drain();

  const all = await server.call<Notification[]>("GET", "/v1/Notifications?PageSize=4", { key: tenant.groupKey });
  expect(all.headers.get("x-total-count")).toBe("10");
  expect(all.headers.get("link")).toContain('rel="next"');
  expect(all.json).toHaveLength(4);
  // Newest first: the location campaign's messages come before the group campaign's.
  expect(all.json.every((n) => n.CampaignID === local.json.CampaignID)).toBe(true);
  const page3 = await server.call<Notification[]>("GET", "/v1/Notifications?PageSize=4&Page=3", { key: tenant.groupKey });
  expect(page3.json).toHaveLength(2);
  expect(page3.headers.get("link")).toContain('rel="prev"');

  const northView = await outbox(north.key, "?PageSize=200");
  expect(northView).toHaveLength(4);
  expect(northView.every((n) => n.CampaignID === local.json.CampaignID)).toBe(true);
  expect(await outbox(south.key)).toEqual([]);
  const groupOnly = (await outbox(tenant.groupKey, `?CampaignID=${groupCampaign}&PageSize=200`))[0];
  expect((await server.call("GET", `/v1/Notifications/${groupOnly.NotificationID}`, { key: north.key })).status).toBe(404);
  expect((await server.call("GET", `/v1/Notifications/${groupOnly.NotificationID}`, { key: tenant.groupKey })).status).toBe(200);

  // Filters, names and values in any case.
  expect(await outbox(tenant.groupKey, `?campaignid=${groupCampaign}&channel=sms&STATUS=notsent`)).toHaveLength(3);
  expect(await outbox(tenant.groupKey, `?CustomerID=${people[2].CustomerID}`)).toHaveLength(2);
  expect(await outbox(tenant.groupKey, "?Status=Sent")).toEqual([]);

  // Another group sees none of it, by list or by id.
  const stranger = await server.createTenant(1);
  expect(await outbox(stranger.groupKey)).toEqual([]);
  expect((await server.call("GET", `/v1/Notifications/${groupOnly.NotificationID}`, { key: stranger.groupKey })).status).toBe(404);
  expect((await server.call("GET", "/v1/Notifications/abc", { key: tenant.groupKey })).status).toBe(404);
  expect((await server.call("GET", "/v1/Notifications", {})).status).toBe(401);

  const bad = await server.call<{ Code: string; ModelState: Record<string, string[]> }>(
    "GET",
    "/v1/Notifications?Status=Delivered&Channel=Fax&CampaignID=x&CustomerID=0&PageSize=500",
    { key: tenant.groupKey },
  );
  expect(bad.status).toBe(400);
  expect(bad.json.Code).toBe("validation_failed");
  expect(Object.keys(bad.json.ModelState).sort()).toEqual(["CampaignID", "Channel", "CustomerID", "PageSize", "Status"]);
  expect(bad.json.ModelState.Status).toEqual(["must be one of Pending, Sent, Failed, NotSent"]);
});

/** 10,000 customers written straight into the database (a fixture: registering each through the API takes minutes). */
async function bulkCustomers(groupId: number, consent: boolean): Promise<number[]> {
  const ids = Array.from({ length: 10_000 }, (_, i) => 500_000 + i);
  const now = Date.now();
  for (let i = 0; i < ids.length; i += 500) {
    await server.database.db
      .insertInto("customers")
      .values(
        ids.slice(i, i + 500).map((id) => ({
          group_id: groupId,
          customer_id: id,
          external_id: null,
          phone: `720${String(id).padStart(7, "0")}`,
          phone_last4: String(id).slice(-4),
          email: `c${id}@example.com`,
          first_name: `First${id}`,
          last_name: null,
          first_name_norm: `first${id}`,
          last_name_norm: null,
          address: null,
          city: null,
          state: null,
          zipcode: null,
          birthday: null,
          accepts_sms: consent ? 1 : 0,
          accepts_email: consent ? 1 : 0,
          registered_location_id: null,
          created_at: now,
          updated_at: now,
          first_visit_at: null,
          last_visit_at: null,
        })),
      )
      .execute();
  }
  return ids;
}

/** Sends the guide's campaign to the ids: milliseconds from the request until every offer is decided. */
async function timedSend(tenant: Tenant, ids: number[]): Promise<{ campaignId: number; ms: number }> {
  const created = await server.call<{ CampaignID: number }>("POST", "/v1/Campaigns/Group", { key: tenant.groupKey, body: CAMPAIGN });
  const started = Date.now();
  const sent = await server.call("POST", `/v1/Campaigns/${created.json.CampaignID}/Offers`, { key: tenant.groupKey, body: ids });
  expect(sent.status).toBe(204);
  await server.drain();
  return { campaignId: created.json.CampaignID, ms: Date.now() - started };
}

test("a campaign send to 10,000 consenting customers queues 20,000 messages and is still decided quickly", { timeout: 300_000 }, async () => {
  const tenant = await server.createTenant(1);
  const { campaignId, ms } = await timedSend(tenant, await bulkCustomers(tenant.groupId, true));
  // The same send to customers who consented to nothing: what deciding costs without messages.
  const quiet = await server.createTenant(1);
  const baseline = await timedSend(quiet, await bulkCustomers(quiet.groupId, false));
  expect((await server.call("GET", "/v1/Notifications?PageSize=1", { key: quiet.groupKey })).headers.get("x-total-count")).toBe("0");
  console.log(
    `[${server.database.dialect}] a send to 10,000 customers decided in ${ms} ms with 20,000 messages queued (${baseline.ms} ms with none: ${ms - baseline.ms} ms for the outbox)`,
  );

  const count = await server.call("GET", `/v1/Notifications?CampaignID=${campaignId}&PageSize=1`, { key: tenant.groupKey });
  expect(count.headers.get("x-total-count")).toBe("20000");
  const perChannel = await server.database.db
    .selectFrom("notifications")
    .select(["channel", (eb) => eb.fn.countAll<number>().as("n")])
    .where("campaign_id", "=", campaignId)
    .groupBy("channel")
    .orderBy("channel")
    .execute();
  expect(perChannel.map((r) => [r.channel, Number(r.n)])).toEqual([
    ["Email", 10_000],
    ["SMS", 10_000],
  ]);
  // Generous bounds for a shared 2-core machine; the printed times are the measure.
  expect(ms).toBeLessThan(15_000);
  expect(ms - baseline.ms).toBeLessThan(5_000);
});

test("the OpenAPI document's schemas have exactly the outbox's types", () => {
  expectTypeOf<z.output<typeof notificationResponse>>().toEqualTypeOf<Notification>();
  expectTypeOf<z.output<typeof notificationAttemptResponse>>().toEqualTypeOf<NotificationAttempt>();
});
