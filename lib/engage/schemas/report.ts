// The reports' query and answers (docs/API-EXTENSIONS.md): a period of whole UTC days, From
// and To inclusive, at most MAX_REPORT_DAYS long. Imports nothing server-side: the console
// checks a custom range with the same rules before asking.
import { z } from "zod";
import { dayNumber, MAX_REPORT_DAYS } from "./report-days";

export { dayDate, dayNumber, MAX_REPORT_DAYS } from "./report-days";

const date = z
  .string({ error: "is required" })
  .trim()
  .refine((v) => dayNumber(v) !== null, "must be a date as YYYY-MM-DD");

export const reportQuerySchema = z
  .object({
    From: date,
    To: date,
    LocationID: z
      .string()
      .trim()
      .regex(/^\d{1,15}$/, "must be a LocationID (a positive integer)")
      .transform(Number)
      .refine((n) => n > 0, "must be a LocationID (a positive integer)")
      .optional(),
  })
  .superRefine((q, ctx) => {
    const from = typeof q.From === "string" ? dayNumber(q.From) : null;
    const to = typeof q.To === "string" ? dayNumber(q.To) : null;
    if (from === null || to === null) return;
    if (to < from) ctx.addIssue({ code: "custom", path: ["To"], message: "must not be before From" });
    else if (to - from + 1 > MAX_REPORT_DAYS) {
      ctx.addIssue({ code: "custom", path: ["To"], message: `must be at most ${MAX_REPORT_DAYS} days after From, counting both` });
    }
  });

export type ReportQuery = z.output<typeof reportQuerySchema>;

export interface ReportFigures {
  Customers: { Total: number; New: number };
  Receipts: { Count: number; Revenue: number; AverageTicket: number };
  RepeatVisitRate: number;
  Offers: { Issued: number; Redeemed: number; RedemptionRate: number; RedeemedRevenue: number };
}

export interface ReportLocation extends ReportFigures {
  LocationID: number;
  Name: string;
}

export interface ReportCampaign {
  /** Null for offers of no campaign (automations), told apart by TemplateName. */
  CampaignID: number | null;
  TemplateName: string;
  Name: string | null;
  OffersRedeemed: number;
  RedeemedRevenue: number;
}

export interface ReportSummary extends ReportFigures {
  From: string;
  To: string;
  LocationID: number | null;
  Locations: ReportLocation[];
  Campaigns: ReportCampaign[];
}

export interface ReportDay {
  Date: string;
  NewCustomers: number;
  Receipts: number;
  Revenue: number;
  AverageTicket: number;
  RepeatVisits: number;
  OffersIssued: number;
  OffersRedeemed: number;
  RedeemedRevenue: number;
}

export interface ReportDaily {
  From: string;
  To: string;
  LocationID: number | null;
  Days: ReportDay[];
}
