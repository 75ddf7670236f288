// The words of an offer's notification: the campaign's (or automation's) Message, or the
// template's default, with merge fields filled in. Pure functions that import nothing
// server-side, so the console can preview a Message exactly as customers will read it.

/** Merge fields, written in braces in a Message: "Hi {FirstName}, {AmountOff} off with {Code}". */
export const MERGE_FIELDS = ["FirstName", "AmountOff", "MinimumPurchase", "Code", "ExpiresAt", "LocationName"] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

export interface OfferFacts {
  firstName: string | null;
  amountOffE4: number;
  minimumPurchaseE4: number;
  code: string;
  expiresAt: number;
  /** The offer's location, or the business's name for an offer good at every location. */
  locationName: string;
}

/** When a customer has no first name on file. */
export const NO_FIRST_NAME = "friend";

const DEFAULT_MESSAGES: Record<string, string> = {
  manual: "Hi {FirstName}, enjoy {AmountOff} off at {LocationName}!",
  welcome: "Welcome to {LocationName}, {FirstName}! Here's {AmountOff} off your next visit.",
  "spend-milestone": "Thank you for being such a loyal customer, {FirstName}! Here's {AmountOff} off at {LocationName}.",
  "visit-milestone": "Thanks for visiting {LocationName} so often, {FirstName}! Here's {AmountOff} off your next visit.",
  birthday: "Happy birthday, {FirstName}! Celebrate with {AmountOff} off at {LocationName}.",
  "win-back": "We miss you, {FirstName}! Come back to {LocationName} for {AmountOff} off.",
};

export function defaultMessage(templateName: string): string {
  return DEFAULT_MESSAGES[templateName] ?? DEFAULT_MESSAGES.manual;
}

export function formatMoney(e4: number): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(
    e4 / 10_000,
  );
}

/** The expiry as a date in the server's time zone (TZ), e.g. "Mar 5, 2026". */
export function formatDate(ms: number, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone }).format(new Date(ms));
}

export function mergeValues(facts: OfferFacts, timeZone?: string): Record<MergeField, string> {
  return {
    FirstName: facts.firstName?.trim() || NO_FIRST_NAME,
    AmountOff: formatMoney(facts.amountOffE4),
    MinimumPurchase: formatMoney(facts.minimumPurchaseE4),
    Code: facts.code,
    ExpiresAt: formatDate(facts.expiresAt, timeZone),
    LocationName: facts.locationName,
  };
}

/** Fills {Field} (any case, spaces allowed inside the braces); an unknown name is left as written. */
export function fillMergeFields(text: string, values: Record<MergeField, string>): string {
  return text.replace(/\{\s*([A-Za-z]+)\s*\}/g, (whole, name: string) => {
    const field = MERGE_FIELDS.find((f) => f.toLowerCase() === name.toLowerCase());
    return field ? values[field] : whole;
  });
}

export interface RenderedOffer {
  /** The Message, merged. */
  message: string;
  /** The offer's terms in one line: code, minimum purchase, expiry. */
  terms: string;
  subject: string;
  sms: string;
  values: Record<MergeField, string>;
}

export const SMS_OPT_OUT = "Reply STOP to opt out.";

export function renderOffer(
  { message, templateName, facts }: { message: string | null; templateName: string; facts: OfferFacts },
  timeZone?: string,
): RenderedOffer {
  const values = mergeValues(facts, timeZone);
  const text = fillMergeFields(message?.trim() || defaultMessage(templateName), values);
  const minimum = facts.minimumPurchaseE4 > 0 ? ` on ${values.MinimumPurchase} or more` : "";
  const terms = `Use code ${values.Code}${minimum} by ${values.ExpiresAt}.`;
  // A text that already names the code keeps its wording and gets only the terms it leaves out.
  const missing = text.includes(facts.code)
    ? [
        facts.minimumPurchaseE4 > 0 && !text.includes(values.MinimumPurchase) ? `On ${values.MinimumPurchase} or more.` : null,
        text.includes(values.ExpiresAt) ? null : `Expires ${values.ExpiresAt}.`,
      ]
    : [terms];
  return {
    message: text,
    terms,
    subject: `${values.AmountOff} off at ${values.LocationName}`,
    sms: [text, ...missing, SMS_OPT_OUT].filter(Boolean).join(" "),
    values,
  };
}
