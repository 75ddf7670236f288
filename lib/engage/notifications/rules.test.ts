// The notification rules that need no server: merge fields, the SMS keywords, the webhook
// signature a receiver verifies (forgeries and replays), the backoff's bounds, masking, and
// the settings' check at start-up.
import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { notificationConfig } from "./config";
import { smsKeyword } from "./consent";
import { maskRecipient } from "./outbox";
import { signWebhook, twilioSignature, unsubscribeToken, verifyUnsubscribeToken, verifyWebhook } from "./signing";
import { fillMergeFields, renderOffer } from "./templates";
import { retryDelay } from "./worker";

process.env.ENGAGE_CONSOLE_SECRET ??= "notifications-test-secret-0123456789abcdef";

const FACTS = {
  firstName: "Ada",
  amountOffE4: 100_500,
  minimumPurchaseE4: 250_000,
  code: "K7M2P9QX",
  expiresAt: Date.UTC(2026, 2, 5, 12),
  locationName: "Durango",
};

describe("merge fields", () => {
  test("each field is filled, in any case and with spaces inside the braces; unknown ones stay", () => {
    const values = renderOffer({ message: null, templateName: "manual", facts: FACTS }, "UTC").values;
    expect(fillMergeFields("{FirstName}|{amountoff}|{ MinimumPurchase }|{CODE}|{ExpiresAt}|{LocationName}|{Nope}|{}", values)).toBe(
      "Ada|$10.05|$25.00|K7M2P9QX|Mar 5, 2026|Durango|{Nope}|{}",
    );
    expect(fillMergeFields("{AmountOff}", { ...values, AmountOff: "$1.2345" })).toBe("$1.2345");
  });

  test("the campaign's Message, or each template's default; the terms follow unless the text gives them", () => {
    const own = renderOffer({ message: "  Hey {FirstName}, use {Code}!  ", templateName: "manual", facts: FACTS }, "UTC");
    expect(own.message).toBe("Hey Ada, use K7M2P9QX!");
    expect(own.sms).toBe("Hey Ada, use K7M2P9QX! On $25.00 or more. Expires Mar 5, 2026. Reply STOP to opt out.");
    expect(own.subject).toBe("$10.05 off at Durango");

    const birthday = renderOffer({ message: null, templateName: "birthday", facts: { ...FACTS, firstName: null, minimumPurchaseE4: 0 } }, "UTC");
    expect(birthday.message).toBe("Happy birthday, friend! Celebrate with $10.05 off at Durango.");
    expect(birthday.terms).toBe("Use code K7M2P9QX by Mar 5, 2026.");
    expect(birthday.sms).toBe("Happy birthday, friend! Celebrate with $10.05 off at Durango. Use code K7M2P9QX by Mar 5, 2026. Reply STOP to opt out.");
    for (const template of ["welcome", "spend-milestone", "visit-milestone", "win-back", "manual", "something-new"]) {
      const text = renderOffer({ message: "", templateName: template, facts: FACTS }, "UTC").message;
      expect(text, template).toContain("Ada");
      expect(text, template).toContain("$10.05");
      expect(text, template).not.toMatch(/[{}]/);
    }
  });
});

describe("SMS replies", () => {
  test.each([
    ["STOP", "stop"],
    ["stop", "stop"],
    ["Stop please", "stop"],
    ["please stop texting me", "stop"],
    ["STOPALL", "stop"],
    ["Opt Out", "stop"],
    ["opt-out", "stop"],
    ["OPTOUT", "stop"],
    ["quit", "stop"],
    ["End.", "stop"],
    ["revoke", "stop"],
    ["Cancel", "stop"],
    ["unsubscribe me", "stop"],
    ["start stop", "stop"],
    ["START", "start"],
    ["Start please", "start"],
    ["unstop", "start"],
    ["help", "help"],
    ["info?", "help"],
    ["I want to start over", null],
    ["stopped by", null],
    ["opt in", null],
    ["", null],
  ])("%j is %s", (body, keyword) => {
    expect(smsKeyword(body)).toBe(keyword);
  });
});

describe("the app webhook's signature", () => {
  const secret = "whsec-0123456789abcdef";
  const body = JSON.stringify({ Event: "offer.issued", NotificationID: 1 });
  const now = Date.UTC(2026, 0, 1);
  const ts = Math.floor(now / 1000);

  test("is the hex HMAC-SHA256 of '{timestamp}.{body}', as a receiver computes it", () => {
    const expected = `sha256=${createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex")}`;
    expect(signWebhook(secret, ts, body)).toBe(expected);
    expect(verifyWebhook(secret, { timestamp: String(ts), signature: expected }, body, now)).toBeNull();
  });

  test("refuses a changed body, another secret, a moved timestamp, a replay after five minutes and missing headers", () => {
    const signature = signWebhook(secret, ts, body);
    expect(verifyWebhook(secret, { timestamp: String(ts), signature }, body.replace("1", "2"), now)).toBe("forged");
    expect(verifyWebhook("another-secret-0123456789", { timestamp: String(ts), signature }, body, now)).toBe("forged");
    expect(verifyWebhook(secret, { timestamp: String(ts + 1), signature }, body, now)).toBe("forged");
    expect(verifyWebhook(secret, { timestamp: String(ts), signature }, body, now + 301_000)).toBe("stale");
    expect(verifyWebhook(secret, { timestamp: String(ts), signature }, body, now - 301_000)).toBe("stale");
    expect(verifyWebhook(secret, { timestamp: String(ts), signature }, body, now + 299_000)).toBeNull();
    expect(verifyWebhook(secret, { timestamp: null, signature }, body, now)).toBe("missing");
    expect(verifyWebhook(secret, { timestamp: "abc", signature }, body, now)).toBe("missing");
    expect(verifyWebhook(secret, { timestamp: String(ts), signature: undefined }, body, now)).toBe("missing");
  });
});

test("Twilio's signature matches the examples of Twilio's own signature-validation snippets", () => {
  // TwilioDevEd/api-snippets security/signature_validation: token 12345, this URL and these fields.
  const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  const fields = (caller: string) => new URLSearchParams({ CallSid: "CA1234567890ABCDE", Caller: caller, Digits: "1234", From: caller, To: "+18005551212" });
  expect(twilioSignature("12345", url, fields("+14158675310"))).toBe("GvWf1cFY/Q7PnoempGyD5oXAezc=");
  expect(twilioSignature("12345", url, fields("+14158675309"))).toBe("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
});

test("unsubscribe tokens name one customer and cannot be altered", () => {
  const token = unsubscribeToken(42);
  expect(verifyUnsubscribeToken(token)).toBe(42);
  expect(verifyUnsubscribeToken(token.replace(/^42/, "43"))).toBeNull();
  expect(verifyUnsubscribeToken(`${token}x`)).toBeNull();
  expect(verifyUnsubscribeToken(null)).toBeNull();
  expect(verifyUnsubscribeToken("0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).toBeNull();
});

test("the backoff doubles from the base, is capped, and keeps between half and all of each step", () => {
  const policy = { baseMs: 1000, maxMs: 10_000, maxAttempts: 8 };
  expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, policy, () => 0))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
  expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, policy, () => 1))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
});

test("recipients are masked", () => {
  expect(maskRecipient("SMS", "9705551234")).toBe("•••• 1234");
  expect(maskRecipient("Email", "jane.doe@example.com")).toBe("j•••@example.com");
  expect(maskRecipient("App", "hooks.example.com")).toBe("hooks.example.com");
  expect(maskRecipient("Email", null)).toBeNull();
});

describe("settings", () => {
  test("nothing configured: no channel, the console's address for links", () => {
    expect(notificationConfig({ PORT: "4000" })).toEqual({ email: null, sms: null, app: null, publicUrl: "http://localhost:4000", inboundSmsToken: null });
    expect(notificationConfig({ CONSOLE_URL: "https://console.example.com/" }).publicUrl).toBe("https://console.example.com");
  });

  test("every channel configured", () => {
    const config = notificationConfig({
      SMTP_URL: "smtps://user:pass@smtp.example.com:465",
      SMS_API_URL: "https://api.twilio.com/",
      SMS_ACCOUNT: "AC123",
      SMS_TOKEN: "secret",
      SMS_FROM: "+19705550000",
      APP_WEBHOOK_URL: "https://app.example.com/hooks",
      APP_WEBHOOK_SECRET: "0123456789abcdef",
      PUBLIC_URL: "https://offers.example.com",
    });
    expect(config).toEqual({
      email: { url: "smtps://user:pass@smtp.example.com:465", from: "no-reply@offers.example.com" },
      sms: { baseUrl: "https://api.twilio.com", account: "AC123", token: "secret", from: "+19705550000" },
      app: { url: "https://app.example.com/hooks", secret: "0123456789abcdef" },
      publicUrl: "https://offers.example.com",
      inboundSmsToken: "secret",
    });
  });

  test("a half-configured channel stops the start with a message naming the variable", () => {
    expect(() => notificationConfig({ SMS_API_URL: "https://api.twilio.com" })).toThrow(
      /SMS_ACCOUNT is required when SMS_API_URL is set; SMS_TOKEN is required when SMS_API_URL is set; SMS_FROM is required/,
    );
    expect(() => notificationConfig({ APP_WEBHOOK_URL: "https://app.example.com" })).toThrow(/APP_WEBHOOK_SECRET is required/);
    expect(() => notificationConfig({ APP_WEBHOOK_URL: "https://app.example.com", APP_WEBHOOK_SECRET: "short" })).toThrow(/at least 16/);
    expect(() => notificationConfig({ SMTP_URL: "http://mail.example.com" })).toThrow(/SMTP_URL must be a smtp:\/\/ or smtps:\/\/ address/);
  });
});
