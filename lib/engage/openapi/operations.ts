// The Engage API's reference text: for each route of routes.ts (by its name), what it does,
// its responses and the guide's examples. Schemas are not written here: they are generated
// from the zod schemas that validate requests (document.ts). The contract test fails on a
// route without an entry, and on an entry without a route.

export interface ResponseDoc {
  description: string;
  /** The JSON body: a component (schemas/responses.ts) or an array of one. Errors default to Error. */
  body?: { ref: string } | { arrayOf: string };
  /** Names in HEADER_DOCS. */
  headers?: string[];
  examples?: Record<string, { summary: string; value: unknown }>;
}

export interface OperationDoc {
  tag: string;
  summary: string;
  /** Markdown. */
  description: string;
  /** Not in Monetary's guide: an Engage extension. */
  extension?: boolean;
  pathParams?: Record<string, { description: string; schema?: Record<string, unknown>; example?: unknown }>;
  /** Descriptions of query parameters, beyond PARAMETER_NOTES. */
  query?: Record<string, string>;
  request?: { name: string; description?: string; examples?: Record<string, { summary: string; value: unknown }> };
  /** The success response and this operation's own errors; the usual errors are added from the route's shape. */
  responses: Record<number, ResponseDoc>;
}

export const API_DESCRIPTION = `The Engage API is what a point-of-sale (POS) system calls on every sale: register a loyalty customer, submit the receipt, and let campaigns turn buying patterns into offers.

## Quick start (the guide's three steps)

1. **Register a customer**: \`POST /v1/Customers\` with at least a Phone, Email or ExternalID. \`201\` with the customer.
2. **Submit a receipt**: \`POST /v1/Receipts\` with the customer's CustomerID, the Skus and the totals. \`201\` with the receipt, its redemptions and any offers it spawned.
3. **Send offers**: \`POST /v1/Campaigns/Location\` (a location key) or \`POST /v1/Campaigns/Group\` (the group key) describes the offer; \`POST /v1/Campaigns/{CampaignID}/Offers\` with a JSON array of CustomerIDs sends it (\`204\`).

## Authentication

Every request carries your secret key in the \`Authorization\` header, raw, as in the guide (\`Authorization: eng_loc_…\`); \`Bearer <key>\` is accepted too. A **location key** acts as one store; the **group key** acts for the whole group (the holding business). An Owner creates, rolls and revokes keys in the console under Settings → Developers. Missing, unknown and revoked keys all get the same \`401\`; another group's ids answer \`404\`.

## Wire format

- Requests with a body send \`Content-Type: application/json\` (otherwise \`415\`); at most 1 MiB (\`413\`).
- Property names are PascalCase; on input they match case-insensitively and unknown properties are ignored. Paths and query parameter names match case-insensitively; a trailing slash is fine.
- Money is a JSON number with at most 4 decimal places, never negative. Times are ISO 8601 UTC; \`Birthday\` is \`YYYY-MM-DD\`.
- Errors are \`{"Message", "Code", "ModelState"?}\`: \`Code\` is stable, \`Message\` is for people, \`ModelState\` names each invalid property by its path (\`Skus[0].Quantity\`).
- Lists are paged with \`Page\` (from 1) and \`PageSize\` (default 25, at most 200); \`X-Total-Count\` gives the total and \`Link\` the next and previous pages.
- \`POST /v1/Customers\`, \`POST /v1/Receipts\` and \`POST /v1/Campaigns/{CampaignID}/Offers\` honour an \`Idempotency-Key\` header: a retry returns the first response and stores nothing new.
- Each key has a rate limit; past it, \`429\` with \`Retry-After\`.`;

export const TAGS = [
  { name: "Customers", description: "Loyalty customers of the group: every key of the group finds, reads and updates them." },
  { name: "Receipts", description: "Sales submitted by the POS. A receipt updates the customer's statistics, redeems the offers its discounts name and may spawn new offers." },
  { name: "Offers", description: "Offers (coupons) issued to customers by campaigns and automations; a POS checks a code before applying it." },
  { name: "Campaigns", description: "Manual campaigns: describe an offer, then send it to a list of customers." },
  { name: "Automations", description: "Automated campaigns: templates that issue offers on their own (first visit, milestones, birthdays, win-back)." },
  { name: "Notifications", description: "How issued offers reach customers: SMS, email and the merchant's app webhook." },
  { name: "Reports", description: "Figures over the group's or a location's receipts, customers and offers." },
];

/** Descriptions of path and query parameters that mean the same wherever they appear. */
export const PARAMETER_NOTES: Record<string, string> = {
  CustomerID: "The customer's CustomerID.",
  ReceiptID: "The receipt's ReceiptID (32 lower-case hex characters).",
  OfferID: "The offer's OfferID.",
  CampaignID: "The campaign's CampaignID.",
  Page: "The page, from 1.",
  PageSize: "Items per page: default 25, at most 200.",
};

/** Descriptions of request body properties, by request component name. */
const CUSTOMER_NOTES: Record<string, string> = {
  CustomerID: "Your own integer id for the customer (> 0, unique in the group); assigned by the server when absent.",
  ExternalID: "The POS's own id (at most 64 characters); unique in the group when present.",
  Phone: "A US number: punctuation, spaces and a leading +1 are fine; stored as 10 digits. Unique in the group when present.",
  Email: "A valid address, stored lower-case; unique in the group when present.",
  FirstName: "At most 100 characters.",
  LastName: "At most 100 characters.",
  Address: "At most 200 characters.",
  City: "At most 100 characters.",
  State: "A 2-letter US state code, such as CO.",
  Zipcode: "81303 or 81303-1234.",
  Birthday: "A real date as YYYY-MM-DD, not in the future.",
  AcceptsSMS: "Marketing consent for text messages (default false).",
  AcceptsEmail: "Marketing consent for email (default false).",
};

export const FIELD_NOTES: Record<string, Record<string, string>> = {
  CustomerRegister: CUSTOMER_NOTES,
  CustomerUpdate: {
    ...CUSTOMER_NOTES,
    CustomerID: "Optional; when present it must equal the CustomerID in the path.",
  },
  ReceiptSubmit: {
    CustomerID: "A registered customer of the group.",
    LocationID: "Where the sale happened: a location key's own location (this property is then ignored); required with the group key.",
    Skus: "At least one line: SKU (at most 64 characters), Description, Amount (unit price) and Quantity (> 0, may be fractional).",
    Discounts: "Discounts given; a Code redeems that offer when it is valid for this customer, location and SubTotal.",
    SubTotal: "Money: before taxes.",
    Taxes: "Money.",
    Tip: "Money, default 0.",
    Shipping: "Money, default 0.",
    Total: "Money: what the customer paid.",
  },
  CampaignCreate: {
    AmountOff: "Money, greater than 0: each offer's amount off.",
    MinimumPurchase: "Money, default 0: the SubTotal a receipt needs to redeem an offer.",
    DaysTillExpiration: "Each offer expires this many days (1–365) after it is issued.",
    Name: "An optional label (at most 100 characters).",
    Message: "Optional text for the notification that carries the offer (at most 480 characters).",
  },
};

export const HEADER_DOCS: Record<string, Record<string, unknown>> = {
  Location: { description: "The new resource's path.", schema: { type: "string" }, required: true },
  "X-Total-Count": { description: "Items matching, across all pages.", schema: { type: "integer", minimum: 0 }, required: true },
  Link: {
    description: 'The next and previous pages: `</v1/Customers?Page=2&PageSize=25>; rel="next"`. Absent when there is only one page.',
    schema: { type: "string" },
  },
  "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer", minimum: 1 }, required: true },
};

// The guide's examples, completed with what this server adds.
const GUIDE_CUSTOMER = {
  CustomerID: 123,
  ExternalID: "GGBilbo",
  Phone: "5551231234",
  Email: "bbaggens@fictionalEmail.com",
  FirstName: "Bob",
  LastName: "Baggens",
  Address: "123 Fake Street",
  City: "Durango",
  State: "CO",
  Zipcode: "81303",
  Birthday: "2017-04-20",
  AcceptsSMS: true,
  AcceptsEmail: true,
};

const CUSTOMER = {
  ...GUIDE_CUSTOMER,
  Email: "bbaggens@fictionalemail.com",
  RegisteredLocationID: 1,
  CreatedAt: "2025-05-01T16:20:00.000Z",
  UpdatedAt: "2025-05-01T16:20:00.000Z",
  VisitCount: 0,
  LifetimeSpend: 0,
  FirstVisitAt: null,
  LastVisitAt: null,
};

const GUIDE_RECEIPT = {
  CustomerID: 123,
  Skus: [{ SKU: "SOCKS", Description: "AWESOME 80s Socks!", Amount: 10.5, Quantity: 2 }],
  Discounts: [],
  SubTotal: 21.0,
  Taxes: 1.58,
  Total: 22.58,
};

const RECEIPT = {
  ReceiptID: "0383b1c2438e4f82b516543de3522a4b",
  CustomerID: 123,
  LocationID: 1,
  Skus: [{ SKU: "SOCKS", Description: "AWESOME 80s Socks!", Amount: 10.5, Quantity: 2 }],
  Discounts: [],
  SubTotal: 21,
  Taxes: 1.58,
  Tip: 0,
  Shipping: 0,
  Total: 22.58,
  CreatedAt: "2025-05-01T16:21:00.000Z",
  Voided: false,
  VoidedAt: null,
  Redemptions: [],
  Offers: [],
};

const OFFER = {
  OfferID: 41,
  Code: "K7M3QX9B",
  CustomerID: 123,
  CampaignID: 1,
  TemplateName: "manual",
  AmountOff: 10.05,
  MinimumPurchase: 0.5,
  IsLocationSpecific: true,
  LocationID: 1,
  CreatedAt: "2025-05-02T09:00:00.000Z",
  ExpiresAt: "2025-06-02T09:00:00.000Z",
  Status: "Active",
  RedeemedAt: null,
  RedeemedReceiptID: null,
  RedeemedLocationID: null,
};

const GUIDE_CAMPAIGN = { AmountOff: 10.05, MinimumPurchase: 0.5, DaysTillExpiration: 31 };

const CAMPAIGN = {
  CampaignID: 1,
  TemplateName: "manual",
  AmountOff: 10.05,
  MinimumPurchase: 0.5,
  DaysTillExpiration: 31,
  IsLocationSpecific: true,
  Name: null,
  Message: null,
  LocationID: 1,
  CreatedAt: "2025-05-02T08:55:00.000Z",
};

const SKIPPED = { NotRegistered: 0, NoPurchaseAtLocation: 1, AlreadyOffered: 0 };

const CAMPAIGN_WITH_STATS = {
  ...CAMPAIGN,
  Stats: { OffersIssued: 2, OffersRedeemed: 1, RedemptionRate: 0.5, RedeemedRevenue: 12.53, Pending: 0, Skipped: SKIPPED },
};

const one = (summary: string, value: unknown) => ({ example: { summary, value } });
const AUTOMATION = {
  TemplateName: "welcome",
  LocationID: null,
  Enabled: true,
  AmountOff: 5,
  MinimumPurchase: 0,
  DaysTillExpiration: 30,
  SpendThreshold: null,
  VisitInterval: null,
  DaysBefore: null,
  LapseDays: null,
  Message: "Welcome! $5 off your next visit.",
  UpdatedAt: "2025-05-01T09:00:00.000Z",
};
const paged = ["X-Total-Count", "Link"];

const REPORT_FIGURES = {
  Customers: { Total: 640, New: 41 },
  Receipts: { Count: 1200, Revenue: 51234.1, AverageTicket: 42.6951 },
  RepeatVisitRate: 0.9658,
  Offers: { Issued: 150, Redeemed: 30, RedemptionRate: 0.2, RedeemedRevenue: 1500 },
};

const REPORT_QUERY = {
  From: "The period's first day, YYYY-MM-DD (a UTC day).",
  To: "The period's last day, YYYY-MM-DD, included; at most 366 days counting both.",
  LocationID: "One location of the group (a location key: its own only; by default its own).",
};

export const OPERATIONS: Record<string, OperationDoc> = {
  searchCustomers: {
    tag: "Customers",
    summary: "Search registered customers",
    description:
      "Free text (`Query`) over name, phone, email and ExternalID, or exact filters. Exact phone, email and ExternalID matches come first. Paged: `X-Total-Count` and `Link`.",
    query: {
      Query: "Free text over name, phone, email and ExternalID.",
      Phone: "A phone number in any common US format.",
      Email: "An email address.",
      ExternalID: "The POS's own id.",
      FirstName: "First name, or its beginning.",
      LastName: "Last name, or its beginning.",
      Sort: "**[extension]** name, lastVisit or lifetimeSpend; a leading - for descending.",
      PurchasedAtLocationID: "**[extension]** Only customers with a receipt at this location.",
      VisitedWithinDays: "**[extension]** Only customers with a receipt in the last N days.",
      NotVisitedWithinDays: "**[extension]** Only customers without a receipt in the last N days.",
      MinLifetimeSpend: "**[extension]** Only customers who spent at least this much.",
      MinVisits: "**[extension]** Only customers with at least this many visits.",
      BirthdayMonth: "**[extension]** Only customers born in this month (1–12).",
      AcceptsSMS: "**[extension]** true or false: only customers with (or without) SMS consent.",
      AcceptsEmail: "**[extension]** true or false: only customers with (or without) email consent.",
    },
    responses: {
      200: { description: "The page of customers.", body: { arrayOf: "Customer" }, headers: paged, examples: one("The guide's customer", [CUSTOMER]) },
      403: {
        description: "A location key asking who bought at another location (`PurchasedAtLocationID`).",
        examples: one("Another location", { Message: "A location key may only ask who bought at its own location.", Code: "forbidden" }),
      },
    },
  },
  registerCustomer: {
    tag: "Customers",
    summary: "Register a customer",
    description:
      "The guide's step 1. At least one of Phone, Email or ExternalID. RegisteredLocationID is the key's location (null for the group key). A Phone, Email, ExternalID or CustomerID that already belongs to a customer of the group is `409`, naming the property and the existing CustomerID.",
    request: {
      name: "CustomerRegister",
      description: "A customer to register.",
      examples: { guide: { summary: "The guide's customer", value: GUIDE_CUSTOMER } },
    },
    responses: {
      201: { description: "Registered.", body: { ref: "Customer" }, headers: ["Location"], examples: one("The guide's customer, registered", CUSTOMER) },
      409: {
        description: "The value of `Property` already belongs to customer `ExistingCustomerID` (`conflict`), or a request with the same `Idempotency-Key` is in flight (`idempotency_in_flight`).",
        examples: {
          conflict: {
            summary: "Phone already registered",
            value: {
              Message: "already belongs to customer #123",
              Code: "conflict",
              ModelState: { Phone: ["already belongs to customer #123"] },
              Property: "Phone",
              ExistingCustomerID: 123,
            },
          },
        },
      },
    },
  },
  getCustomer: {
    tag: "Customers",
    summary: "Retrieve a customer",
    description: "The customer with this CustomerID in the key's group.",
    responses: { 200: { description: "The customer.", body: { ref: "Customer" }, examples: one("A customer", CUSTOMER) } },
  },
  updateCustomer: {
    tag: "Customers",
    summary: "Update a customer",
    description:
      "Properties present replace the stored values, `null` clears an optional one, absent properties keep their value, so a partial record loses nothing. A CustomerID in the body must equal the path's. Uniqueness as on register (`409`).",
    request: {
      name: "CustomerUpdate",
      description: "The properties to change.",
      examples: { consent: { summary: "Withdraw SMS consent, change the email", value: { AcceptsSMS: false, Email: "bob@example.com" } } },
    },
    responses: {
      200: {
        description: "The updated customer.",
        body: { ref: "Customer" },
        examples: one("Updated", { ...CUSTOMER, AcceptsSMS: false, Email: "bob@example.com", UpdatedAt: "2025-05-03T10:00:00.000Z" }),
      },
      409: { description: "The value of `Property` already belongs to customer `ExistingCustomerID`." },
    },
  },
  listCustomerOffers: {
    tag: "Customers",
    summary: "Retrieve a customer's offers",
    description: "The customer's offers visible to the key (a location key: group-wide offers and its own location's), newest first.",
    query: { Status: "Active, Redeemed or Expired (any case)." },
    responses: { 200: { description: "The offers.", body: { arrayOf: "Offer" }, examples: one("One active offer", [OFFER]) } },
  },
  listConsentHistory: {
    tag: "Customers",
    extension: true,
    summary: "A customer's consent history",
    description: "**[extension]** Every change of the customer's marketing consent, newest first, with who made it (a key, masked, or a staff user).",
    responses: {
      200: {
        description: "The changes.",
        body: { arrayOf: "ConsentChange" },
        examples: one("Consent given at registration", [
          { Channel: "SMS", Accepted: true, ChangedAt: "2025-05-01T16:20:00.000Z", ActorType: "key", Actor: "eng_loc_…a1B2" },
        ]),
      },
    },
  },
  exportCustomer: {
    tag: "Customers",
    extension: true,
    summary: "Export a customer's data",
    description:
      "**[extension]** Everything Engage holds about the customer, as one JSON document: the customer, their consent history, receipts (every location), offers and notifications. The customer's right of access. The group key only (a location key: `403`).",
    pathParams: { CustomerID: { description: "The customer's CustomerID.", schema: { type: "integer" }, example: 123 } },
    responses: {
      200: { description: "The customer's data.", body: { ref: "CustomerExport" } },
      403: { description: "A location key: only the holding business (the group key) exports a customer's data." },
      404: {
        description: "No such customer in the group, or one whose data was erased.",
        examples: one("Erased", { Message: "Customer 123 was erased at the customer's request.", Code: "not_found" }),
      },
    },
  },
  eraseCustomer: {
    tag: "Customers",
    extension: true,
    summary: "Erase a customer",
    description:
      "**[extension]** Erases the customer's personal data (names, phone, email, address, birthday, the POS's id, where their messages went) in one transaction. Receipts and their amounts, offers and statistics stay for the books, under the CustomerID, which is never registered again (`POST /v1/Customers` with it: `409`). The customer no longer appears in searches; reading them is `404`. Erasing twice changes nothing. The group key only (a location key: `403`). No body.",
    pathParams: { CustomerID: { description: "The customer's CustomerID.", schema: { type: "integer" }, example: 123 } },
    responses: {
      200: {
        description: "Erased (or erased before).",
        body: { ref: "ErasedCustomer" },
        examples: one("Erased", { CustomerID: 123, ErasedAt: "2025-05-01T17:00:00.000Z", AlreadyErased: false, ReceiptsKept: 4 }),
      },
      403: { description: "A location key: only the holding business (the group key) erases a customer." },
    },
  },
  listCustomerReceipts: {
    tag: "Customers",
    summary: "Retrieve a customer's receipts",
    description: "The customer's receipts visible to the key (a location key: its own location's), newest first, paged.",
    responses: { 200: { description: "The page of receipts.", body: { arrayOf: "Receipt" }, headers: paged, examples: one("The guide's receipt", [RECEIPT]) } },
  },
  searchReceipts: {
    tag: "Receipts",
    summary: "Search receipts",
    description: "Newest first, paged. A location key sees only its own location's receipts.",
    query: {
      CustomerID: "Only this customer's receipts.",
      LocationID: "Only this location's (group key).",
      From: "From this ISO date (the whole day) or time.",
      To: "Up to this ISO date (the whole day) or time.",
      SKU: "Only receipts with a line of this SKU.",
      MinTotal: "Total at least this.",
      MaxTotal: "Total at most this.",
    },
    responses: { 200: { description: "The page of receipts.", body: { arrayOf: "Receipt" }, headers: paged, examples: one("The guide's receipt", [RECEIPT]) } },
  },
  submitReceipt: {
    tag: "Receipts",
    summary: "Submit a receipt",
    description:
      "The guide's step 2. In one transaction the customer's VisitCount, LifetimeSpend and LastVisitAt are updated; each Discount with a Code redeems that offer when it is Active, this customer's, not expired, for this location when location specific, and SubTotal ≥ its MinimumPurchase (`Redemptions` tells the outcome; the receipt is stored either way); automated campaigns may spawn offers, listed in `Offers` for the POS to print.",
    request: {
      name: "ReceiptSubmit",
      description: "A sale.",
      examples: {
        guide: { summary: "The guide's receipt", value: GUIDE_RECEIPT },
        redeem: {
          summary: "Redeeming an offer",
          value: { ...GUIDE_RECEIPT, Discounts: [{ Code: "K7M3QX9B", Description: "$10.05 off", Amount: 10.05 }], Total: 12.53 },
        },
      },
    },
    responses: {
      201: { description: "Stored.", body: { ref: "Receipt" }, headers: ["Location"], examples: one("The guide's receipt, stored", RECEIPT) },
    },
  },
  getReceipt: {
    tag: "Receipts",
    summary: "Retrieve a receipt",
    description: "By ReceiptID. `404` also for another location's receipt asked with a location key.",
    pathParams: { ReceiptID: { description: PARAMETER_NOTES.ReceiptID, schema: { type: "string" }, example: RECEIPT.ReceiptID } },
    responses: { 200: { description: "The receipt.", body: { ref: "Receipt" }, examples: one("The guide's receipt", RECEIPT) } },
  },
  voidReceipt: {
    tag: "Receipts",
    extension: true,
    summary: "Void a receipt",
    description:
      "**[extension]** A return or a voided sale: the receipt stays, marked Voided; the customer's statistics no longer count it; offers it redeemed become Active again if not expired. Voiding twice changes nothing.",
    pathParams: { ReceiptID: { description: PARAMETER_NOTES.ReceiptID, schema: { type: "string" }, example: RECEIPT.ReceiptID } },
    responses: {
      200: { description: "The voided receipt.", body: { ref: "Receipt" }, examples: one("Voided", { ...RECEIPT, Voided: true, VoidedAt: "2025-05-01T17:00:00.000Z" }) },
    },
  },
  getOfferByCode: {
    tag: "Offers",
    summary: "Look up an offer by code",
    description: "A POS checks a code before applying it. Codes match case-insensitively. `404` when unknown in the group.",
    query: { Code: "The offer's code." },
    responses: {
      200: { description: "The offer.", body: { ref: "Offer" }, examples: one("An active offer", OFFER) },
      404: {
        description: "No offer of the group has this code.",
        examples: one("Unknown code", { Message: "Offer with code K7M3QX9B was not found.", Code: "not_found" }),
      },
    },
  },
  getOffer: {
    tag: "Offers",
    summary: "Retrieve an offer",
    description: "By OfferID.",
    responses: { 200: { description: "The offer.", body: { ref: "Offer" }, examples: one("An active offer", OFFER) } },
  },
  createLocationCampaign: {
    tag: "Campaigns",
    summary: "Create a location campaign",
    description:
      "The guide's step 3a, with a location key (a group key: `403`). Its offers are redeemable only at that location and go only to customers who have a receipt there.",
    request: { name: "CampaignCreate", description: "The offer to send.", examples: { guide: { summary: "The guide's campaign", value: GUIDE_CAMPAIGN } } },
    responses: {
      201: { description: "Created.", body: { ref: "Campaign" }, headers: ["Location"], examples: one("The guide's campaign", CAMPAIGN) },
      403: {
        description: "A group key: location campaigns are created with that location's key.",
        examples: one("A group key", { Message: "A location campaign is created with that location's key; a group key creates group campaigns.", Code: "forbidden" }),
      },
    },
  },
  createGroupCampaign: {
    tag: "Campaigns",
    summary: "Create a group campaign",
    description:
      "The guide's step 3a for the holding business: the group key only (a location key: `403`). Offers are redeemable at any location of the group; any registered customer may receive one.",
    request: { name: "CampaignCreate", description: "The offer to send.", examples: { guide: { summary: "The guide's campaign", value: GUIDE_CAMPAIGN } } },
    responses: {
      201: {
        description: "Created.",
        body: { ref: "Campaign" },
        headers: ["Location"],
        examples: one("The guide's campaign, group-wide", { ...CAMPAIGN, IsLocationSpecific: false, LocationID: null }),
      },
      403: { description: "A location key: only the holding business (the group key) creates group campaigns." },
    },
  },
  listCampaigns: {
    tag: "Campaigns",
    extension: true,
    summary: "List campaigns",
    description:
      "**[extension]** The campaigns visible to the key (a location key: group campaigns and its own location's), newest first, paged, each with its `Stats`.",
    query: {
      Scope: "Group: group campaigns only; Location: location campaigns only (any case).",
      LocationID: "Only this location's campaigns (a location key: its own only).",
    },
    responses: {
      200: { description: "The page of campaigns.", body: { arrayOf: "CampaignWithStats" }, headers: paged, examples: one("One campaign", [CAMPAIGN_WITH_STATS]) },
      403: {
        description: "A location key asking for another location's campaigns.",
        examples: one("Another location", { Message: "A location key lists its own location's campaigns only.", Code: "forbidden" }),
      },
    },
  },
  getCampaign: {
    tag: "Campaigns",
    extension: true,
    summary: "Retrieve a campaign with its results",
    description: "**[extension]** The campaign with `Stats`: offers issued and redeemed, redemption rate, redeemed revenue, customers pending and skipped by reason.",
    responses: {
      200: {
        description: "The campaign.",
        body: { ref: "CampaignWithStats" },
        examples: one("Two offers issued, one redeemed", CAMPAIGN_WITH_STATS),
      },
    },
  },
  sendCampaign: {
    tag: "Campaigns",
    summary: "Send a campaign's offer to customers",
    description:
      "The guide's step 3b: a JSON array of CustomerIDs (at most 10,000; duplicates ignored). `204` as soon as the list is durably accepted; the server then decides each customer: registered in the group; for a location campaign, has a receipt at that location; holds no offer of this campaign yet. A location campaign is sent with its location's key or the group key; a group campaign with the group key.",
    request: { name: "CustomerIDList", description: "CustomerIDs to offer the campaign to.", examples: { guide: { summary: "The guide's list", value: [101, 345, 332] } } },
    responses: {
      204: { description: "Request accepted (no content)." },
      403: { description: "A location key sending a group campaign." },
    },
  },
  listCampaignRecipients: {
    tag: "Campaigns",
    extension: true,
    summary: "A campaign's recipients",
    description: "**[extension]** Per customer of the campaign's sends: Offered (with the OfferID), Skipped (with the reason) or Pending; in CustomerID order, paged.",
    responses: {
      200: {
        description: "The page of recipients.",
        body: { arrayOf: "CampaignRecipient" },
        headers: paged,
        examples: one("One offered, one skipped", [
          { CustomerID: 101, Status: "Offered", Reason: null, OfferID: 41 },
          { CustomerID: 332, Status: "Skipped", Reason: "NoPurchaseAtLocation", OfferID: null },
        ]),
      },
    },
  },
  previewCampaign: {
    tag: "Campaigns",
    extension: true,
    summary: "Preview a campaign send",
    description: "**[extension]** The same body as sending; answers who would get an offer and who would be skipped and why, creating nothing.",
    request: { name: "CustomerIDList", examples: { guide: { summary: "The guide's list", value: [101, 345, 332] } } },
    responses: {
      200: {
        description: "The counts.",
        body: { ref: "CampaignPreview" },
        examples: one("Two of three would get an offer", { CampaignID: 1, Requested: 3, WouldOffer: 2, Skipped: SKIPPED }),
      },
      403: { description: "A location key previewing a group campaign." },
    },
  },
  listAutomations: {
    tag: "Automations",
    extension: true,
    summary: "List automated campaigns",
    description:
      "**[extension]** Each template's configuration: `welcome` (a customer's first receipt in the group), `spend-milestone` (lifetime spend passes each multiple of SpendThreshold), `visit-milestone` (every VisitInterval-th visit), `birthday` (DaysBefore days before the birthday, once a year) and `win-back` (no receipt for LapseDays days, once per lapse). A group key sees the five group-wide ones and five per location; a location key the group-wide ones (read-only for it) and its own location's. Unconfigured templates are listed with their defaults, off. At a location, its own enabled configuration takes precedence over the group's.",
    query: { LocationID: "Only this location's five (a location key: its own only)." },
    responses: {
      200: {
        description: "The configurations: group-wide first, then by location, each in template order.",
        body: { arrayOf: "Automation" },
        examples: one("Welcome on for the group", [AUTOMATION]),
      },
      403: { description: "A location key asking for another location's automations." },
    },
  },
  saveAutomation: {
    tag: "Automations",
    extension: true,
    summary: "Configure an automated campaign",
    description:
      "**[extension]** Saves one template's configuration: group-wide (the group key, `LocationID` omitted or null) or for a location (the group key naming it, or that location's key). The body replaces the configuration: MinimumPurchase (0), DaysTillExpiration (30) and Message (none) take their defaults when left out; the template's own parameter is required to turn it on and keeps its value when it is turned off without it.",
    pathParams: {
      TemplateName: {
        description: "welcome, spend-milestone, visit-milestone, birthday or win-back (any case).",
        schema: { type: "string", enum: ["welcome", "spend-milestone", "visit-milestone", "birthday", "win-back"] },
        example: "spend-milestone",
      },
    },
    request: {
      name: "AutomationUpdate",
      description: "The template's configuration.",
      examples: {
        spend: { summary: "$10 off at every $500 of lifetime spend", value: { Enabled: true, AmountOff: 10, MinimumPurchase: 20, DaysTillExpiration: 30, SpendThreshold: 500 } },
      },
    },
    responses: {
      200: {
        description: "The saved configuration.",
        body: { ref: "Automation" },
        examples: one("Spend milestone on", { ...AUTOMATION, TemplateName: "spend-milestone", AmountOff: 10, MinimumPurchase: 20, SpendThreshold: 500 }),
      },
      403: { description: "A location key configuring the group-wide template or another location's." },
      404: { description: "No such template." },
    },
  },
  listNotifications: {
    tag: "Notifications",
    extension: true,
    summary: "The outbox",
    description:
      "**[extension]** The messages queued when offers were issued — one per channel the customer consented to (SMS: AcceptsSMS and a Phone; Email: AcceptsEmail and an Email; App: when the merchant's webhook is configured) — with their delivery status, newest first, paged. A group key sees the group's; a location key sees those of offers issued for its location (group-wide offers' messages are the group key's).",
    query: {
      Status: "Pending, Sent, Failed or NotSent (any case).",
      Channel: "SMS, Email or App (any case).",
      CampaignID: "Only the messages of this campaign's offers.",
      CustomerID: "Only this customer's messages.",
    },
    responses: {
      200: {
        description: "The page of messages.",
        body: { arrayOf: "Notification" },
        headers: paged,
        examples: one("An email sent, an SMS with no transport", [
          { NotificationID: 12, OfferID: 41, CampaignID: 1, TemplateName: "manual", CustomerID: 101, Channel: "Email", Recipient: "j•••@example.com", Status: "Sent", Reason: null, Attempts: 1, LastError: null, CreatedAt: "2025-05-01T17:00:00.000Z", LastAttemptAt: "2025-05-01T17:00:01.000Z", SentAt: "2025-05-01T17:00:01.200Z", NextAttemptAt: null },
          { NotificationID: 11, OfferID: 41, CampaignID: 1, TemplateName: "manual", CustomerID: 101, Channel: "SMS", Recipient: "•••• 1234", Status: "NotSent", Reason: "no transport", Attempts: 0, LastError: null, CreatedAt: "2025-05-01T17:00:00.000Z", LastAttemptAt: null, SentAt: null, NextAttemptAt: null },
        ]),
      },
    },
  },
  getNotification: {
    tag: "Notifications",
    extension: true,
    summary: "A message and its delivery attempts",
    description: "**[extension]** One message of the outbox with every delivery attempt made for it (time, outcome, error, the provider's id). `404` outside the key's view, as in the list.",
    pathParams: { NotificationID: { description: "The message's NotificationID.", schema: { type: "integer" }, example: 12 } },
    responses: {
      200: {
        description: "The message.",
        body: { ref: "NotificationDetail" },
        examples: one("Sent at the third attempt", {
          NotificationID: 13, OfferID: 42, CampaignID: 1, TemplateName: "manual", CustomerID: 332, Channel: "SMS", Recipient: "•••• 5309", Status: "Sent", Reason: null, Attempts: 3, LastError: null,
          CreatedAt: "2025-05-01T17:00:00.000Z", LastAttemptAt: "2025-05-01T17:01:31.000Z", SentAt: "2025-05-01T17:01:31.300Z", NextAttemptAt: null,
          AttemptLog: [
            { Attempt: 1, AttemptedAt: "2025-05-01T17:00:01.000Z", DurationMs: 240, Outcome: "Retry", Error: "SMS provider answered 503: 20500 Service Unavailable", ProviderID: null },
            { Attempt: 2, AttemptedAt: "2025-05-01T17:00:24.000Z", DurationMs: 180, Outcome: "Retry", Error: "SMS provider answered 503: 20500 Service Unavailable", ProviderID: null },
            { Attempt: 3, AttemptedAt: "2025-05-01T17:01:31.000Z", DurationMs: 300, Outcome: "Sent", Error: null, ProviderID: "SM0123456789abcdef0123456789abcdef" },
          ],
        }),
      },
    },
  },
  getReportSummary: {
    tag: "Reports",
    extension: true,
    summary: "Summary of a period",
    description:
      "**[extension]** Customers, receipts, repeat visits and offers over a period of whole UTC days, for the group or one location, with the same figures per location and the 10 campaigns with the most redeemed revenue. A location key reports on its own location.",
    query: REPORT_QUERY,
    responses: {
      200: {
        description: "The period's figures.",
        body: { ref: "ReportSummary" },
        examples: one("One location, March", {
          From: "2026-03-01",
          To: "2026-03-31",
          LocationID: 1,
          ...REPORT_FIGURES,
          Locations: [{ LocationID: 1, Name: "Durango", ...REPORT_FIGURES }],
          Campaigns: [
            { CampaignID: 3, TemplateName: "manual", Name: "Spring treats", OffersRedeemed: 20, RedeemedRevenue: 1100.25 },
            { CampaignID: null, TemplateName: "welcome", Name: null, OffersRedeemed: 10, RedeemedRevenue: 399.75 },
          ],
        }),
      },
      403: { description: "A location key asking about another location." },
    },
  },
  getReportDaily: {
    tag: "Reports",
    extension: true,
    summary: "A period, day by day",
    description: "**[extension]** One entry per UTC day of the period, oldest first, days without activity included with zeros; for the group or one location.",
    query: REPORT_QUERY,
    responses: {
      200: {
        description: "The days.",
        body: { ref: "ReportDaily" },
        examples: one("Two days at one location", {
          From: "2026-03-01",
          To: "2026-03-02",
          LocationID: 1,
          Days: [
            { Date: "2026-03-01", NewCustomers: 2, Receipts: 40, Revenue: 1711.2, AverageTicket: 42.78, RepeatVisits: 38, OffersIssued: 0, OffersRedeemed: 3, RedeemedRevenue: 150.1 },
            { Date: "2026-03-02", NewCustomers: 0, Receipts: 0, Revenue: 0, AverageTicket: 0, RepeatVisits: 0, OffersIssued: 0, OffersRedeemed: 0, RedeemedRevenue: 0 },
          ],
        }),
      },
      403: { description: "A location key asking about another location." },
    },
  },
};
