// The manual campaign's wire format (ENGAGE_API.md §6).
import { z } from "zod";
import { id, money, optionalText, positiveMoney } from "./fields";

export const MAX_SEND = 10_000;

export const campaignCreateSchema = z.object({
  AmountOff: positiveMoney(),
  MinimumPurchase: money().nullable().optional(),
  DaysTillExpiration: z
    .number({ error: "must be a whole number of days from 1 to 365" })
    .int("must be a whole number of days from 1 to 365")
    .min(1, "must be a whole number of days from 1 to 365")
    .max(365, "must be a whole number of days from 1 to 365"),
  Name: optionalText(100),
  Message: optionalText(480),
});

export type CampaignInput = z.output<typeof campaignCreateSchema>;

export const campaignSendSchema = z
  .array(id("must be a CustomerID (a positive integer)"), { error: "must be a JSON array of CustomerIDs" })
  .max(MAX_SEND, `must list at most ${MAX_SEND} CustomerIDs`);

export const SKIP_REASONS = ["NotRegistered", "NoPurchaseAtLocation", "AlreadyOffered"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
