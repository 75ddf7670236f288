// The receipt's wire format (ENGAGE_API.md §4).
import { z } from "zod";
import { id, money, optionalText, toE4 } from "./fields";

export const skuSchema = z.object({
  SKU: z
    .string({ error: "is required" })
    .trim()
    .min(1, "is required")
    .max(64, "must be at most 64 characters"),
  Description: optionalText(200),
  Amount: money(),
  Quantity: z
    .number({ error: "must be a number" })
    .refine((v) => v > 0, "must be greater than 0")
    .refine((v) => v <= 1_000_000, "must be at most 1000000")
    .refine((v) => toE4(v) !== null, "must have at most 4 decimal places"),
});

export const discountSchema = z.object({
  Code: z
    .string({ error: "must be a string" })
    .trim()
    .max(32, "must be at most 32 characters")
    .transform((v) => (v === "" ? null : v.toUpperCase()))
    .nullable()
    .optional(),
  Description: optionalText(200),
  Amount: money().nullable().optional(),
});

export const receiptSubmitSchema = z.object({
  CustomerID: id("must be the CustomerID of a registered customer"),
  LocationID: id().nullable().optional(),
  Skus: z
    .array(skuSchema, { error: "must be an array of SKUs" })
    .min(1, "must have at least one SKU")
    .max(1000, "must have at most 1000 SKUs"),
  Discounts: z
    .array(discountSchema, { error: "must be an array" })
    .max(100, "must have at most 100 discounts")
    .nullable()
    .optional(),
  SubTotal: money(),
  Taxes: money(),
  Tip: money().nullable().optional(),
  Shipping: money().nullable().optional(),
  Total: money(),
});

export type ReceiptInput = z.output<typeof receiptSubmitSchema>;

export interface Redemption {
  Code: string;
  OfferID: number | null;
  Status: "Redeemed" | "Rejected";
  Reason: string | null;
}
