// The outbox's wire format (ENGAGE_API.md §8, GET /v1/Notifications [extension]): its filters.
// Imports nothing server-side, so the console's Outbox page validates with the same rules.
import { z } from "zod";
import { pagingSchema } from "./query";

export const NOTIFICATION_STATUSES = ["Pending", "Sent", "Failed", "NotSent"] as const;
export const NOTIFICATION_CHANNELS = ["SMS", "Email", "App"] as const;

/** One of the names, matched case-insensitively, answered in its proper case. */
const oneOf = <T extends string>(names: readonly T[]) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      const found = names.find((n) => n.toLowerCase() === v.toLowerCase());
      if (!found) {
        ctx.addIssue({ code: "custom", message: `must be one of ${names.join(", ")}` });
        return z.NEVER;
      }
      return found;
    });

const positiveId = (name: string) =>
  z
    .string()
    .regex(/^\d{1,15}$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= 1, `${name} must be at least 1`);

export const notificationSearchSchema = pagingSchema.extend({
  Status: oneOf(NOTIFICATION_STATUSES).optional(),
  Channel: oneOf(NOTIFICATION_CHANNELS).optional(),
  CampaignID: positiveId("CampaignID").optional(),
  CustomerID: positiveId("CustomerID").optional(),
});
