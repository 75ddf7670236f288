// zod schemas of what the Engage API answers (ENGAGE_API.md §2–6): the source of the
// OpenAPI document's response schemas, which the contract test holds every response to.
// Imports nothing server-side; the contract test checks these against the verbs' types.
import { z } from "zod";
import { SKIP_REASONS } from "./campaign";

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const time = (description: string) =>
  z.string().regex(ISO_UTC).meta({ format: "date-time", description: `${description} (ISO 8601, UTC).` });
const optionalTime = (description: string) => time(description).nullable();
const money = (description: string) =>
  z.number().min(0).describe(`${description} A decimal amount with at most 4 decimal places.`);
const text = (description: string) => z.string().nullable().describe(description);

export const ERROR_CODES = [
  "invalid_json",
  "validation_failed",
  "unauthorized",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "conflict",
  "idempotency_in_flight",
  "payload_too_large",
  "unsupported_media_type",
  "idempotency_key_reused",
  "rate_limited",
  "internal_error",
] as const;

export const errorResponse = z
  .object({
    Message: z.string().describe("For people: may change between versions."),
    Code: z.enum(ERROR_CODES).describe("Stable and machine-readable: branch on this, never on Message."),
    ModelState: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .describe('Validation errors keyed by PascalCase property path, such as "Skus[0].Quantity".'),
    Property: z.string().optional().describe("On a 409 conflict: the property whose value is taken."),
    ExistingCustomerID: z.number().int().optional().describe("On a 409 conflict: the customer who already has the value."),
    Erased: z.boolean().optional().describe("On a 409 conflict over a CustomerID: that customer's data was erased, and the id is never reused."),
  })
  .describe("Every error, as ASP.NET Web API clients parse it, with a stable Code.");

export const customerResponse = z
  .object({
    CustomerID: z.number().int().positive().describe("Unique in the group; assigned by the server when absent on register."),
    ExternalID: text("The POS's own id of the customer."),
    Phone: z.string().regex(/^\d{10}$/).nullable().describe("10 digits."),
    Email: z.string().nullable().describe("Stored lower-case."),
    FirstName: text("First name."),
    LastName: text("Last name."),
    Address: text("Street address."),
    City: text("City."),
    State: z.string().regex(/^[A-Z]{2}$/).nullable().describe("2-letter US state code."),
    Zipcode: z.string().regex(/^\d{5}(-\d{4})?$/).nullable().describe("81303 or 81303-1234."),
    Birthday: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).meta({ format: "date" }).nullable().describe("YYYY-MM-DD."),
    AcceptsSMS: z.boolean().describe("Marketing consent for text messages."),
    AcceptsEmail: z.boolean().describe("Marketing consent for email."),
    RegisteredLocationID: z.number().int().nullable().describe("The location whose key registered the customer; null for a group key."),
    CreatedAt: time("When the customer was registered"),
    UpdatedAt: time("When the record last changed"),
    VisitCount: z.number().int().min(0).describe("Receipts that count (not voided)."),
    LifetimeSpend: money("The sum of those receipts' Totals."),
    FirstVisitAt: optionalTime("The first receipt's time"),
    LastVisitAt: optionalTime("The latest receipt's time"),
  })
  .describe("A loyalty customer of the group.");

export const OFFER_STATUSES = ["Active", "Redeemed", "Expired"] as const;

export const offerResponse = z
  .object({
    OfferID: z.number().int().positive(),
    Code: z.string().describe("8 characters without look-alikes; matched case-insensitively."),
    CustomerID: z.number().int().positive(),
    CampaignID: z.number().int().nullable(),
    TemplateName: z.string().describe('"manual" for API campaigns, the template\'s name for automated ones.'),
    AmountOff: money("Copied from the campaign."),
    MinimumPurchase: money("The receipt's SubTotal must be at least this."),
    IsLocationSpecific: z.boolean().describe("Redeemable only at LocationID."),
    LocationID: z.number().int().nullable(),
    CreatedAt: time("When the offer was issued"),
    ExpiresAt: time("CreatedAt plus the campaign's DaysTillExpiration"),
    Status: z.enum(OFFER_STATUSES).describe("Expired follows from ExpiresAt at read time."),
    RedeemedAt: optionalTime("When a receipt redeemed it"),
    RedeemedReceiptID: z.string().nullable(),
    RedeemedLocationID: z.number().int().nullable(),
  })
  .describe("An offer (a coupon) issued to one customer.");

export const REJECTION_REASONS = [
  "UnknownCode",
  "NotThisCustomer",
  "AlreadyRedeemed",
  "Expired",
  "NotThisLocation",
  "BelowMinimumPurchase",
] as const;

export const redemptionResponse = z
  .object({
    Code: z.string(),
    OfferID: z.number().int().nullable(),
    Status: z.enum(["Redeemed", "Rejected"]),
    Reason: z.enum(REJECTION_REASONS).nullable().describe("Why the code did not redeem its offer; null when redeemed."),
  })
  .describe("What became of one discount's offer code.");

export const receiptResponse = z
  .object({
    ReceiptID: z.string().regex(/^[0-9a-f]{32}$/).describe("32 lower-case hex characters, assigned by the server."),
    CustomerID: z.number().int().positive(),
    LocationID: z.number().int().positive(),
    Skus: z.array(
      z.object({
        SKU: z.string(),
        Description: z.string().nullable(),
        Amount: money("Unit price."),
        Quantity: z.number().positive(),
      }),
    ),
    Discounts: z.array(
      z.object({
        Code: z.string().nullable().describe("An offer code, upper-case."),
        Description: z.string().nullable(),
        Amount: money("The discount's amount."),
      }),
    ),
    SubTotal: money("Before taxes."),
    Taxes: money("Taxes."),
    Tip: money("Tip; 0 when not given."),
    Shipping: money("Shipping; 0 when not given."),
    Total: money("What the customer paid."),
    CreatedAt: time("When the receipt was submitted"),
    Voided: z.boolean().describe("True after POST /v1/Receipts/{ReceiptID}/Void."),
    VoidedAt: optionalTime("When it was voided"),
    Redemptions: z.array(redemptionResponse).describe("One per discount with a Code."),
    Offers: z.array(offerResponse).describe("Offers this receipt spawned (automated campaigns), for the POS to print."),
  })
  .describe("A sale.");

export const campaignResponse = z
  .object({
    CampaignID: z.number().int().positive(),
    TemplateName: z.string().describe('"manual" for campaigns made through the API.'),
    AmountOff: money("Each offer's amount off."),
    MinimumPurchase: money("Each offer's minimum SubTotal."),
    DaysTillExpiration: z.number().int().min(1).max(365),
    IsLocationSpecific: z.boolean().describe("True for Campaigns/Location, false for Campaigns/Group."),
    Name: z.string().nullable(),
    Message: z.string().nullable(),
    LocationID: z.number().int().nullable(),
    CreatedAt: time("When the campaign was created"),
  })
  .describe("A manual campaign.");

const skipCounts = z.object(Object.fromEntries(SKIP_REASONS.map((r) => [r, z.number().int().min(0)])) as Record<(typeof SKIP_REASONS)[number], z.ZodNumber>);

export const campaignWithStatsResponse = campaignResponse
  .extend({
    Stats: z.object({
      OffersIssued: z.number().int().min(0),
      OffersRedeemed: z.number().int().min(0),
      RedemptionRate: z.number().min(0).max(1).describe("OffersRedeemed / OffersIssued, 4 decimal places."),
      RedeemedRevenue: money("The Totals of the receipts that redeemed an offer."),
      Pending: z.number().int().min(0).describe("Customers of accepted sends not decided yet."),
      Skipped: skipCounts.describe("Customers skipped, by reason."),
    }),
  })
  .describe("A manual campaign with its results.");

export const campaignRecipientResponse = z
  .object({
    CustomerID: z.number().int().positive(),
    Status: z.enum(["Offered", "Skipped", "Pending"]),
    Reason: z.enum(SKIP_REASONS).nullable(),
    OfferID: z.number().int().nullable(),
  })
  .describe("What a campaign send decided for one customer.");

export const campaignPreviewResponse = z
  .object({
    CampaignID: z.number().int().positive(),
    Requested: z.number().int().min(0).describe("Distinct CustomerIDs in the list."),
    WouldOffer: z.number().int().min(0),
    Skipped: skipCounts,
  })
  .describe("Who a send would offer and who it would skip; nothing is created.");

export const consentChangeResponse = z
  .object({
    Channel: z.enum(["SMS", "Email"]),
    Accepted: z.boolean(),
    ChangedAt: time("When consent changed"),
    ActorType: z.enum(["key", "user", "system"]),
    Actor: z.string().nullable().describe("The key (masked), the staff user's email, or the system's label."),
  })
  .describe("One change of a customer's marketing consent.");

export const customerNotificationResponse = z
  .object({
    NotificationID: z.number().int().positive(),
    OfferID: z.number().int().positive(),
    CampaignID: z.number().int().nullable(),
    Channel: z.string().describe("SMS, Email or App."),
    Recipient: z.string().nullable().describe("The phone, email or webhook host it was addressed to."),
    Status: z.string().describe("Pending, Sent, Failed or NotSent."),
    CreatedAt: time("When it was queued"),
    SentAt: optionalTime("When it was delivered"),
  })
  .describe("A message about an offer, as a customer's export lists it.");

export const notificationResponse = z
  .object({
    NotificationID: z.number().int().positive(),
    OfferID: z.number().int().positive().describe("The offer it tells the customer about."),
    CampaignID: z.number().int().nullable().describe("The offer's campaign; null for an automation's offer."),
    TemplateName: z.string().describe('"manual" for API campaigns, the automation\'s template otherwise.'),
    CustomerID: z.number().int().positive(),
    Channel: z.enum(["SMS", "Email", "App"]),
    Recipient: z.string().nullable().describe('Masked: "•••• 1234", "j•••@example.com", or the app webhook\'s host.'),
    Status: z.enum(["Pending", "Sent", "Failed", "NotSent"]).describe("Pending until delivered (Sent), refused or retried past the limit (Failed), or not to be sent (NotSent, see Reason)."),
    Reason: z
      .string()
      .nullable()
      .describe('Why it is NotSent or Failed: "no transport", "consent withdrawn", "no phone", "no email", "offer redeemed", "offer expired", "refused", "gave up after N attempts".'),
    Attempts: z.number().int().min(0).describe("Delivery attempts made."),
    LastError: z.string().nullable().describe("The last failed attempt's error."),
    CreatedAt: time("When it was queued, with its offer"),
    LastAttemptAt: optionalTime("The last delivery attempt"),
    SentAt: optionalTime("When it was delivered"),
    NextAttemptAt: optionalTime("When a Pending message is tried (again); null otherwise"),
  })
  .describe("A message about an issued offer to one customer on one channel: the outbox.");

export const notificationAttemptResponse = z
  .object({
    Attempt: z.number().int().positive().describe("1 for the first attempt."),
    AttemptedAt: time("When the attempt began"),
    DurationMs: z.number().int().min(0),
    Outcome: z.enum(["Sent", "Retry", "Failed"]).describe("Sent; failed and to be retried; or failed for good."),
    Error: z.string().nullable().describe("What the SMTP server, SMS provider or webhook answered, when it failed."),
    ProviderID: z.string().nullable().describe("The provider's id of a sent message (an SMS sid, an email Message-ID)."),
  })
  .describe("One delivery attempt.");

export const notificationDetailResponse = notificationResponse
  .extend({ AttemptLog: z.array(notificationAttemptResponse).describe("Every delivery attempt, oldest first.") })
  .describe("A message with every delivery attempt made for it.");

export const customerExportResponse = z
  .object({
    ExportedAt: time("When the export was made"),
    Customer: customerResponse,
    ConsentHistory: z.array(consentChangeResponse).describe("Every consent change, newest first."),
    Receipts: z.array(receiptResponse).describe("Every receipt of the customer, at every location, newest first."),
    Offers: z.array(offerResponse).describe("Every offer issued to the customer, newest first."),
    Notifications: z.array(customerNotificationResponse).describe("Every message queued for the customer, newest first."),
  })
  .describe("Everything Engage holds about one customer (their right of access).");

export const erasedCustomerResponse = z
  .object({
    CustomerID: z.number().int().positive().describe("Kept, and never registered again."),
    ErasedAt: time("When the personal data was erased"),
    AlreadyErased: z.boolean().describe("True when it had been erased before: nothing changed now."),
    ReceiptsKept: z.number().int().min(0).describe("Receipts kept for the books, their amounts unchanged."),
  })
  .describe("The outcome of erasing a customer's personal data.");

export const AUTOMATION_TEMPLATE_NAMES = ["welcome", "spend-milestone", "visit-milestone", "birthday", "win-back"] as const;

export const automationResponse = z
  .object({
    TemplateName: z.enum(AUTOMATION_TEMPLATE_NAMES),
    LocationID: z.number().int().positive().nullable().describe("The location it is for; null for the whole group."),
    Enabled: z.boolean().describe("Off until turned on."),
    AmountOff: money("The offer's value."),
    MinimumPurchase: money("The SubTotal the offer needs to be redeemed."),
    DaysTillExpiration: z.number().int().min(1).max(365).describe("ExpiresAt = CreatedAt + this many days."),
    SpendThreshold: money("spend-milestone: an offer each time lifetime spend passes a multiple of this.").nullable(),
    VisitInterval: z.number().int().positive().nullable().describe("visit-milestone: an offer every this many visits."),
    DaysBefore: z.number().int().min(0).nullable().describe("birthday: how many days before the birthday."),
    LapseDays: z.number().int().positive().nullable().describe("win-back: days without a receipt that make a lapse."),
    Message: text("The notification text of its offers."),
    UpdatedAt: optionalTime("When it was last saved; null: never configured (the defaults, off)"),
  })
  .describe("One automated campaign template's configuration, group-wide or for a location.");

const reportFigures = {
  Customers: z.object({
    Total: z.number().int().min(0).describe("Customers with a receipt in the period."),
    New: z.number().int().min(0).describe("Of them, customers whose first receipt in the group was in the period."),
  }),
  Receipts: z.object({
    Count: z.number().int().min(0).describe("Receipts in the period, voided ones not counted."),
    Revenue: money("Their Totals."),
    AverageTicket: money("Revenue / Count (0 without receipts)."),
  }),
  RepeatVisitRate: z.number().min(0).max(1).describe("The share of receipts that were not a customer's first."),
  Offers: z.object({
    Issued: z.number().int().min(0),
    Redeemed: z.number().int().min(0).describe("Offers redeemed by receipts of the period."),
    RedemptionRate: z.number().min(0).describe("Redeemed / Issued (0 when none were issued)."),
    RedeemedRevenue: money("The Totals of the receipts that redeemed an offer."),
  }),
};

const reportDate = (description: string) => z.string().regex(/^\d{4}-\d{2}-\d{2}$/).meta({ format: "date", description });

export const reportSummaryResponse = z
  .object({
    From: reportDate("The period's first day (UTC)."),
    To: reportDate("The period's last day (UTC), included."),
    LocationID: z.number().int().positive().nullable().describe("The one location reported on; null for the whole group."),
    ...reportFigures,
    Locations: z
      .array(z.object({ LocationID: z.number().int().positive(), Name: z.string(), ...reportFigures }))
      .describe("A group key without LocationID: every location; otherwise the one."),
    Campaigns: z
      .array(
        z.object({
          CampaignID: z.number().int().positive().nullable().describe("Null for automations' offers, told apart by TemplateName."),
          TemplateName: z.string(),
          Name: z.string().nullable(),
          OffersRedeemed: z.number().int().min(0),
          RedeemedRevenue: money("The Totals of the receipts that redeemed its offers."),
        }),
      )
      .describe("The 10 campaigns with the most RedeemedRevenue in the period, most first."),
  })
  .describe("How the group or a location did over a period of whole UTC days.");

export const reportDailyResponse = z
  .object({
    From: reportDate("The period's first day (UTC)."),
    To: reportDate("The period's last day (UTC), included."),
    LocationID: z.number().int().positive().nullable().describe("The one location reported on; null for the whole group."),
    Days: z
      .array(
        z.object({
          Date: reportDate("The UTC day."),
          NewCustomers: z.number().int().min(0),
          Receipts: z.number().int().min(0),
          Revenue: money("Totals of the day's receipts."),
          AverageTicket: money("Revenue / Receipts."),
          RepeatVisits: z.number().int().min(0),
          OffersIssued: z.number().int().min(0),
          OffersRedeemed: z.number().int().min(0),
          RedeemedRevenue: money("Totals of the day's receipts that redeemed an offer."),
        }),
      )
      .describe("Every day of the period, oldest first; days without activity with zeros."),
  })
  .describe("A period's figures, day by day.");
