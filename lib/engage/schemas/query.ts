// Query-string rules: paging and the search filters (ENGAGE_API.md §3–6).
import { z } from "zod";
import { MAX_MONEY } from "./fields";
import { CUSTOMER_SORTS } from "./sorts";

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 25;

const intParam = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be from ${min} to ${max}`);

export { CUSTOMER_SORTS };

export const pagingSchema = z.object({
  Page: intParam("Page", 1, 1_000_000).optional(),
  PageSize: intParam("PageSize", 1, MAX_PAGE_SIZE).optional(),
});

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

const moneyParam = z
  .string()
  .trim()
  .regex(/^\d+(\.\d{1,4})?$/, "must be an amount such as 12.50")
  .transform(Number)
  // Larger amounts overflow PostgreSQL's bigint once in ten-thousandths (found by the fuzzer).
  .refine((v) => v <= MAX_MONEY, `must be at most ${MAX_MONEY}`);

/** true/false (or 1/0), in any case. */
const booleanParam = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const lower = v.toLowerCase();
    if (lower === "true" || lower === "1") return true;
    if (lower === "false" || lower === "0") return false;
    ctx.addIssue({ code: "custom", message: "must be true or false" });
    return z.NEVER;
  });

/** A day count for the audience filters: up to ten years back. */
const MAX_AUDIENCE_DAYS = 3650;

export const customerSearchSchema = pagingSchema.extend({
  Query: text(200).optional(),
  Phone: text(32).optional(),
  Email: text(254).optional(),
  ExternalID: text(64).optional(),
  FirstName: text(100).optional(),
  LastName: text(100).optional(),
  Sort: z
    .string()
    .trim()
    .transform((v, ctx) => {
      const found = CUSTOMER_SORTS.find((s) => s.toLowerCase() === v.toLowerCase());
      if (!found) {
        ctx.addIssue({ code: "custom", message: `must be one of ${CUSTOMER_SORTS.join(", ")}` });
        return z.NEVER;
      }
      return found;
    })
    .optional(),
  // [extension] The console's campaign audience: who bought where, recency, value, birthdays, consent.
  PurchasedAtLocationID: intParam("PurchasedAtLocationID", 1, Number.MAX_SAFE_INTEGER).optional(),
  VisitedWithinDays: intParam("VisitedWithinDays", 1, MAX_AUDIENCE_DAYS).optional(),
  NotVisitedWithinDays: intParam("NotVisitedWithinDays", 1, MAX_AUDIENCE_DAYS).optional(),
  MinLifetimeSpend: moneyParam.optional(),
  MinVisits: intParam("MinVisits", 0, 1_000_000_000).optional(),
  BirthdayMonth: intParam("BirthdayMonth", 1, 12).optional(),
  AcceptsSMS: booleanParam.optional(),
  AcceptsEmail: booleanParam.optional(),
});

/** An ISO date (the whole day) or date-time. */
const when = z
  .string()
  .trim()
  .refine((v) => /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) && !Number.isNaN(Date.parse(v)), "must be an ISO date or time");

export const receiptSearchSchema = pagingSchema.extend({
  CustomerID: intParam("CustomerID", 1, Number.MAX_SAFE_INTEGER).optional(),
  LocationID: intParam("LocationID", 1, Number.MAX_SAFE_INTEGER).optional(),
  From: when.optional(),
  To: when.optional(),
  SKU: text(64).optional(),
  MinTotal: moneyParam.optional(),
  MaxTotal: moneyParam.optional(),
});

/** [extension] GET /v1/Campaigns: group campaigns only (Scope=Group), location campaigns only, or one location's. */
export const campaignListSchema = pagingSchema.extend({
  Scope: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(["group", "location"], { error: "must be Group or Location" }))
    .transform((s) => (s === "group" ? ("Group" as const) : ("Location" as const)))
    .optional(),
  LocationID: intParam("LocationID", 1, Number.MAX_SAFE_INTEGER).optional(),
});

export const offerStatusSchema = z.object({
  Status: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(["active", "redeemed", "expired"], { error: "must be Active, Redeemed or Expired" }))
    .optional(),
});

export const offerCodeSchema = z.object({
  Code: z.string({ error: "is required" }).trim().min(1, "is required").max(32).transform((c) => c.toUpperCase()),
});
