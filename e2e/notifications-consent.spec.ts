// A customer's side of notifications, against the production server: the offer email arrives at
// the local SMTP server with List-Unsubscribe and List-Unsubscribe-Post; its link opens a public
// page that asks first, works from the keyboard and turns AcceptsEmail off; a mail client's
// one-click POST does the same; a texted STOP through the inbound-SMS webhook (signed as Twilio
// signs) turns AcceptsSMS off, and a forged one is refused.
import { createHmac } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { engage, registerCustomer, sale, uniqueContact } from "./fixtures/campaign-data";
import { unique } from "./fixtures/console";
import { DEMO_LOCATION, locationKey } from "./fixtures/engage-api";
import { E2E_SMS_TOKEN, MAIN_URL } from "./fixtures/env";
import { waitForMail, type SunkMail } from "./fixtures/mail";

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
}

interface ConsentChange {
  Channel: string;
  Accepted: boolean;
  Actor: string | null;
}

/** A customer of the Cortez store who agreed to email and texts, sent a location campaign's offer; their email. */
async function offeredCustomer(request: APIRequestContext, tag: string) {
  const key = locationKey(DEMO_LOCATION.cortez);
  const u = unique();
  const contact = uniqueContact(`${tag}${u}`);
  const customer = await registerCustomer(request, key, {
    FirstName: "Una",
    LastName: `Unsub${u}`,
    Email: contact.Email,
    Phone: contact.Phone,
    AcceptsEmail: true,
    AcceptsSMS: true,
  });
  await sale(request, key, customer.CustomerID, 30);
  const campaign = await engage<{ CampaignID: number }>(request, key, "POST", "/Campaigns/Location", {
    AmountOff: 3,
    MinimumPurchase: 15,
    DaysTillExpiration: 14,
    Message: "Hi {FirstName}! {AmountOff} off at {LocationName} with {Code}.",
  });
  await engage(request, key, "POST", `/Campaigns/${campaign.CampaignID}/Offers`, [customer.CustomerID], 204);
  const mail = await waitForMail(contact.Email);
  return { key, customer, contact, mail };
}

/** The link's path and query: the server names its public address (localhost), the browser uses 127.0.0.1. */
const localPath = (url: string) => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};

function unsubscribeLinks(mail: SunkMail): { page: string; oneClick: string } {
  const oneClick = /^<([^>]+)>$/.exec(mail.headers["list-unsubscribe"] ?? "")?.[1];
  const page = /(https?:\/\/\S+\/unsubscribe\?token=[\w.-]+)/.exec(mail.text)?.[1];
  expect(oneClick, "List-Unsubscribe names the one-click address").toBeTruthy();
  expect(page, "the text links the unsubscribe page").toBeTruthy();
  return { page: localPath(page!), oneClick: localPath(oneClick!) };
}

test("the offer email's unsubscribe link opens a page that asks, works from the keyboard, and turns AcceptsEmail off", async ({ page, request }) => {
  test.setTimeout(60_000);
  const { key, customer, contact, mail } = await offeredCustomer(request, "una");
  expect(mail.subject).toBe("$3.00 off at Bark & Meow Cortez");
  expect(mail.text).toMatch(/^Hi Una! \$3\.00 off at Bark & Meow Cortez with [2-9A-Z]{8}\./);
  expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
  const links = unsubscribeLinks(mail);
  expect(links.oneClick).toMatch(/^\/api\/unsubscribe\?token=\d+\.[\w-]{43}$/);

  await page.goto(links.page);
  await expect(page).toHaveTitle("Unsubscribe");
  await expect(page.getByRole("heading", { level: 1, name: "Unsubscribe from Bark & Meow’s emails?" })).toBeVisible();
  const masked = `${contact.Email[0]}•••@example.com`;
  await expect(page.getByText(`${masked} will no longer receive offers by email.`)).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  // Opening the page changed nothing.
  expect((await engage<{ AcceptsEmail: boolean }>(request, key, "GET", `/Customers/${customer.CustomerID}`)).AcceptsEmail).toBe(true);

  // The only control, reached with Tab and pressed with Enter.
  const button = page.getByRole("button", { name: "Unsubscribe" });
  await page.keyboard.press("Tab");
  await expect(button).toBeFocused();
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL(/\/unsubscribe\?token=[\w.-]+&done=1$/);
  await expect(page.getByRole("status")).toContainText("You are unsubscribed");
  await expect(page.getByRole("status")).toContainText(`Bark & Meow will no longer email offers to ${masked}.`);
  expect(await seriousViolations(page)).toEqual([]);

  const after = await engage<{ AcceptsEmail: boolean; AcceptsSMS: boolean }>(request, key, "GET", `/Customers/${customer.CustomerID}`);
  expect(after).toMatchObject({ AcceptsEmail: false, AcceptsSMS: true });
  const history = await engage<ConsentChange[]>(request, key, "GET", `/Customers/${customer.CustomerID}/ConsentHistory`);
  expect(history[0]).toMatchObject({ Channel: "Email", Accepted: false, Actor: "Unsubscribe link" });

  // The same link later: the page says so, with nothing to press.
  await page.goto(links.page);
  await expect(page.getByRole("status")).toContainText("You are unsubscribed");
  await expect(page.getByRole("button")).toHaveCount(0);
});

test("a mail client's one-click POST unsubscribes; opening that address in a browser shows the page; a forged link does not work", async ({ page, request }) => {
  test.setTimeout(60_000);
  const { key, customer, mail } = await offeredCustomer(request, "oneclick");
  const links = unsubscribeLinks(mail);

  await page.goto(links.oneClick);
  await expect(page).toHaveURL(/\/unsubscribe\?token=/);
  await expect(page.getByRole("button", { name: "Unsubscribe" })).toBeVisible();

  const [pk, signature] = new URL(links.oneClick, MAIN_URL).searchParams.get("token")!.split(".");
  const forged = await request.post(`${MAIN_URL}/api/unsubscribe?token=${Number(pk) + 1}.${signature}`, { form: { "List-Unsubscribe": "One-Click" } });
  expect(forged.status()).toBe(404);
  await page.goto(`/unsubscribe?token=${Number(pk) + 1}.${signature}`);
  await expect(page.getByRole("heading", { level: 1, name: "This link does not work" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  const clicked = await request.post(`${MAIN_URL}${links.oneClick}`, { form: { "List-Unsubscribe": "One-Click" }, maxRedirects: 0 });
  expect(clicked.status()).toBe(200);
  expect(await clicked.text()).toMatch(/^Unsubscribed: Bark & Meow will send no more offers to /);
  expect((await engage<{ AcceptsEmail: boolean }>(request, key, "GET", `/Customers/${customer.CustomerID}`)).AcceptsEmail).toBe(false);
});

test("a texted STOP, signed as Twilio signs, turns AcceptsSMS off; START turns it back on; a forged one is refused", async ({ request }) => {
  test.setTimeout(60_000);
  const key = locationKey(DEMO_LOCATION.cortez);
  const contact = uniqueContact(`sms${unique()}`);
  const customer = await registerCustomer(request, key, { FirstName: "Sol", LastName: `Stop${unique()}`, Phone: contact.Phone, AcceptsSMS: true });
  const url = `${MAIN_URL}/api/hooks/sms`;
  const text = (body: string, token = E2E_SMS_TOKEN) => {
    const fields = { MessageSid: `SM${unique()}`, From: `+1${contact.Phone}`, To: "+19705550000", Body: body };
    const signed = url + Object.keys(fields).sort().map((k) => k + fields[k as keyof typeof fields]).join("");
    return request.post(url, { form: fields, headers: { "x-twilio-signature": createHmac("sha1", token).update(signed).digest("base64") } });
  };
  const acceptsSms = async () => (await engage<{ AcceptsSMS: boolean }>(request, key, "GET", `/Customers/${customer.CustomerID}`)).AcceptsSMS;

  const forged = await text("STOP", "not-the-token");
  expect(forged.status()).toBe(403);
  expect(await acceptsSms()).toBe(true);

  const stop = await text("Stop please");
  expect(stop.status(), await stop.text()).toBe(200);
  expect(stop.headers()["content-type"]).toMatch(/^text\/xml/);
  expect(await stop.text()).toContain("<Message>You are unsubscribed");
  expect(await acceptsSms()).toBe(false);
  const history = await engage<ConsentChange[]>(request, key, "GET", `/Customers/${customer.CustomerID}/ConsentHistory`);
  expect(history[0]).toMatchObject({ Channel: "SMS", Accepted: false, Actor: "SMS reply" });

  expect((await text("START")).status()).toBe(200);
  expect(await acceptsSms()).toBe(true);
});
