// Which channels can deliver, from the environment: SMTP for email, a Twilio-style HTTP API
// for SMS, a signed webhook for the merchant's app. None is configured by default; messages
// then stay in the outbox as "not sent: no transport". Checked with a schema when the runtime
// starts, so a half-configured channel stops the process with a message that names the variable.
import "server-only";
import { z } from "zod";

export interface EmailTransport {
  url: string;
  from: string;
}

export interface SmsTransport {
  /** The provider's base address; messages go to {base}/2010-04-01/Accounts/{account}/Messages.json. */
  baseUrl: string;
  account: string;
  token: string;
  /** A sending number (+15005550006), or a messaging service id (MG…). */
  from: string;
}

export interface AppTransport {
  url: string;
  secret: string;
}

export interface NotificationConfig {
  email: EmailTransport | null;
  sms: SmsTransport | null;
  app: AppTransport | null;
  /** The console's public address, for unsubscribe links (no trailing slash). */
  publicUrl: string;
  /** SMS_TOKEN: inbound SMS webhooks must carry its X-Twilio-Signature (none are accepted without it). */
  inboundSmsToken: string | null;
}

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `must be a ${protocols.map((p) => `${p}//`).join(" or ")} address`);

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

const envSchema = z
  .object({
    SMTP_URL: optional(url(["smtp:", "smtps:"])),
    SMTP_FROM: optional(z.string().trim().max(200)),
    SMS_API_URL: optional(url(["http:", "https:"])),
    SMS_ACCOUNT: optional(z.string().trim().regex(/^[\w-]{1,64}$/, "must be an account id (letters, digits, - and _)")),
    SMS_TOKEN: optional(z.string().trim().min(1)),
    SMS_FROM: optional(z.string().trim().min(1).max(64)),
    APP_WEBHOOK_URL: optional(url(["http:", "https:"])),
    APP_WEBHOOK_SECRET: optional(z.string().min(16, "must be at least 16 characters")),
    PUBLIC_URL: optional(url(["http:", "https:"])),
    CONSOLE_URL: optional(url(["http:", "https:"])),
    PORT: optional(z.string()),
  })
  .superRefine((env, ctx) => {
    if (env.SMS_API_URL) {
      for (const name of ["SMS_ACCOUNT", "SMS_TOKEN", "SMS_FROM"] as const) {
        if (!env[name]) ctx.addIssue({ code: "custom", path: [name], message: "is required when SMS_API_URL is set" });
      }
    }
    if (env.APP_WEBHOOK_URL && !env.APP_WEBHOOK_SECRET) {
      ctx.addIssue({ code: "custom", path: ["APP_WEBHOOK_SECRET"], message: "is required when APP_WEBHOOK_URL is set" });
    }
  });

const NAMES = ["SMTP_URL", "SMTP_FROM", "SMS_API_URL", "SMS_ACCOUNT", "SMS_TOKEN", "SMS_FROM", "APP_WEBHOOK_URL", "APP_WEBHOOK_SECRET", "PUBLIC_URL", "CONSOLE_URL", "PORT"] as const;

let cached: { signature: string; config: NotificationConfig } | undefined;

/**
 * The configuration the environment describes. Read on each use (cheaply: cached while the
 * variables are unchanged), so the outbox writer and the worker always agree on it.
 */
export function notificationConfig(env: Record<string, string | undefined> = process.env): NotificationConfig {
  const signature = NAMES.map((n) => env[n] ?? "").join("\u0000");
  if (cached?.signature === signature) return cached.config;
  const parsed = envSchema.safeParse(Object.fromEntries(NAMES.map((n) => [n, env[n]])));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ");
    throw new Error(`Notification settings are invalid: ${problems}`);
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? e.CONSOLE_URL ?? `http://localhost:${e.PORT ?? 3000}`).replace(/\/+$/, "");
  const config: NotificationConfig = {
    email: e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM ?? `no-reply@${new URL(publicUrl).hostname}` } : null,
    sms: e.SMS_API_URL
      ? { baseUrl: e.SMS_API_URL.replace(/\/+$/, ""), account: e.SMS_ACCOUNT!, token: e.SMS_TOKEN!, from: e.SMS_FROM! }
      : null,
    app: e.APP_WEBHOOK_URL ? { url: e.APP_WEBHOOK_URL, secret: e.APP_WEBHOOK_SECRET! } : null,
    publicUrl,
    inboundSmsToken: e.SMS_TOKEN ?? null,
  };
  cached = { signature, config };
  return config;
}
