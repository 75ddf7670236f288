// Field rules of the Engage wire format (ENGAGE_API.md §2–6), shared by the API's
// validation and the console's forms. Imports nothing server-side.
import { z } from "zod";

export const MAX_MONEY = 10_000_000_000; // ten billion: far above any sale, far below 2^53 ten-thousandths

/** Whole ten-thousandths of a decimal number, or null when it has more than 4 decimal places. */
export function toE4(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  const e4 = Math.round(value * 10_000);
  return e4 / 10_000 === value ? e4 : null;
}

export function fromE4(e4: number): number {
  return e4 / 10_000;
}

export const money = () =>
  z
    .number({ error: "must be a number" })
    .refine((v) => v >= 0, "must not be negative")
    .refine((v) => v <= MAX_MONEY, `must be at most ${MAX_MONEY}`)
    .refine((v) => toE4(v) !== null, "must have at most 4 decimal places");

export const positiveMoney = () => money().refine((v) => v > 0, "must be greater than 0");

// C0 controls but tab, line feed and carriage return, and DEL: never part of a name or an
// address, and PostgreSQL refuses NUL in text outright.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value);
}

/** Optional text: trimmed; "" and null both mean "none". */
export const optionalText = (max: number) =>
  z
    .string({ error: "must be a string" })
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !hasControlCharacters(v), "must not contain control characters")
    .transform((v) => (v === "" ? null : v))
    .nullable()
    .optional();

export const id = (what = "must be a positive integer") =>
  z.number({ error: what }).int(what).positive(what).max(Number.MAX_SAFE_INTEGER, what);

/** A US phone number in any common format, normalized to 10 digits. */
export function normalizePhone(input: string): string | null {
  if (!/^[\d\s().+\-]*$/.test(input)) return null;
  let digits = input.replace(/\D/g, "");
  if (digits.length === 11 && digits.startsWith("1")) digits = digits.slice(1);
  if (digits.length !== 10) return null;
  if (digits[0] === "0" || digits[0] === "1") return null; // NANP area codes start 2–9
  return digits;
}

export const phone = () =>
  z
    .string({ error: "must be a string" })
    .trim()
    .transform((v, ctx) => {
      if (v === "") return null;
      const normalized = normalizePhone(v);
      if (normalized === null) {
        ctx.addIssue({ code: "custom", message: "must be a US phone number of 10 digits (a leading +1 is fine)" });
        return z.NEVER;
      }
      return normalized;
    })
    .nullable()
    .optional();

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const email = () =>
  z
    .string({ error: "must be a string" })
    .trim()
    .max(254, "must be at most 254 characters")
    .transform((v, ctx) => {
      if (v === "") return null;
      if (!EMAIL.test(v) || !z.email().safeParse(v).success) {
        ctx.addIssue({ code: "custom", message: "must be a valid email address" });
        return z.NEVER;
      }
      return v.toLowerCase();
    })
    .nullable()
    .optional();

export const US_STATES = [
  "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
  "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC",
  "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
  "AS", "GU", "MP", "PR", "VI", "AA", "AE", "AP",
] as const;
const STATE_SET = new Set<string>(US_STATES);

export const state = () =>
  z
    .string({ error: "must be a string" })
    .trim()
    .transform((v, ctx) => {
      if (v === "") return null;
      const upper = v.toUpperCase();
      if (!STATE_SET.has(upper)) {
        ctx.addIssue({ code: "custom", message: "must be a 2-letter US state code, such as CO" });
        return z.NEVER;
      }
      return upper;
    })
    .nullable()
    .optional();

export const zipcode = () =>
  z
    .string({ error: "must be a string" })
    .trim()
    .transform((v, ctx) => {
      if (v === "") return null;
      if (!/^\d{5}(-\d{4})?$/.test(v)) {
        ctx.addIssue({ code: "custom", message: "must be a US ZIP code such as 81303 or 81303-1234" });
        return z.NEVER;
      }
      return v;
    })
    .nullable()
    .optional();

/** A real calendar date, YYYY-MM-DD, not in the future (UTC+14, the earliest "today" anywhere). */
export function isValidBirthday(v: string, now = Date.now()): "ok" | "format" | "future" {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return "format";
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    return "format";
  }
  const latestToday = new Date(now + 14 * 3600_000).toISOString().slice(0, 10);
  return v > latestToday ? "future" : "ok";
}

export const birthday = () =>
  z
    .string({ error: "must be a string" })
    .trim()
    .transform((v, ctx) => {
      if (v === "") return null;
      const verdict = isValidBirthday(v);
      if (verdict !== "ok") {
        ctx.addIssue({
          code: "custom",
          message: verdict === "future" ? "must not be in the future" : "must be a real date as YYYY-MM-DD",
        });
        return z.NEVER;
      }
      return v;
    })
    .nullable()
    .optional();

export const flag = () =>
  z
    .boolean({ error: "must be true or false" })
    .nullable()
    .optional();
