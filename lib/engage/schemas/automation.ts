// Automated campaigns' wire format (ENGAGE_API.md §7): the five templates and the body of
// PUT /v1/Automations/{TemplateName}. Imports nothing server-side, so the console's forms
// validate with the same rules.
import { z } from "zod";
import { id, money, optionalText, positiveMoney } from "./fields";

export const AUTOMATION_TEMPLATES = ["welcome", "spend-milestone", "visit-milestone", "birthday", "win-back"] as const;
export type AutomationTemplate = (typeof AUTOMATION_TEMPLATES)[number];

/** The templates a receipt triggers (in its own transaction); the others run daily. */
export const RECEIPT_TEMPLATES = ["welcome", "spend-milestone", "visit-milestone"] as const satisfies readonly AutomationTemplate[];
export const DAILY_TEMPLATES = ["birthday", "win-back"] as const satisfies readonly AutomationTemplate[];

export type AutomationParameter = "SpendThreshold" | "VisitInterval" | "DaysBefore" | "LapseDays";

/** Each template's own parameter (welcome has none). */
export const TEMPLATE_PARAMETER: Record<AutomationTemplate, AutomationParameter | null> = {
  welcome: null,
  "spend-milestone": "SpendThreshold",
  "visit-milestone": "VisitInterval",
  birthday: "DaysBefore",
  "win-back": "LapseDays",
};

/** What an unconfigured template shows, and what a PUT leaves out takes. */
export const AUTOMATION_DEFAULTS: Record<
  AutomationTemplate,
  { AmountOff: number; MinimumPurchase: number; DaysTillExpiration: number; parameter: number | null }
> = {
  welcome: { AmountOff: 5, MinimumPurchase: 0, DaysTillExpiration: 30, parameter: null },
  "spend-milestone": { AmountOff: 10, MinimumPurchase: 0, DaysTillExpiration: 30, parameter: 500 },
  "visit-milestone": { AmountOff: 5, MinimumPurchase: 0, DaysTillExpiration: 30, parameter: 10 },
  birthday: { AmountOff: 10, MinimumPurchase: 0, DaysTillExpiration: 30, parameter: 7 },
  "win-back": { AmountOff: 10, MinimumPurchase: 0, DaysTillExpiration: 30, parameter: 60 },
};

/** The template named in a path, matched case-insensitively; null when there is no such template. */
export function parseTemplateName(value: string | undefined): AutomationTemplate | null {
  const lower = (value ?? "").toLowerCase();
  return AUTOMATION_TEMPLATES.find((t) => t === lower) ?? null;
}

const wholeNumber = (min: number, max: number, unit: string) => {
  const message = `must be a whole number of ${unit} from ${min} to ${max}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
};

export const automationFields = {
  Enabled: z.boolean({ error: "must be true or false" }),
  AmountOff: positiveMoney(),
  MinimumPurchase: money().nullable().optional(),
  DaysTillExpiration: wholeNumber(1, 365, "days").nullable().optional(),
  SpendThreshold: money()
    .refine((v) => v >= 1, "must be at least 1")
    .nullable()
    .optional(),
  VisitInterval: wholeNumber(1, 1000, "visits").nullable().optional(),
  DaysBefore: wholeNumber(0, 60, "days").nullable().optional(),
  LapseDays: wholeNumber(7, 730, "days").nullable().optional(),
  Message: optionalText(480),
  /** Omitted: the key's own scope. null: group-wide (group key only). */
  LocationID: id("must be a LocationID (a positive integer)").nullable().optional(),
};

/** The body of PUT /v1/Automations/{TemplateName}, whatever the template. */
export const automationUpdateSchema = z.object(automationFields);

/** The body for one template: its own parameter is required to turn it on. */
export function automationUpdateSchemaFor(template: AutomationTemplate) {
  const parameter = TEMPLATE_PARAMETER[template];
  return automationUpdateSchema.superRefine((value, ctx) => {
    if (parameter && value.Enabled && (value[parameter] === undefined || value[parameter] === null)) {
      ctx.addIssue({ code: "custom", path: [parameter], message: `is required to turn ${template} on` });
    }
  });
}

export type AutomationInput = z.output<typeof automationUpdateSchema>;

export const automationListQuerySchema = z.object({
  LocationID: z
    .string()
    .regex(/^\d{1,15}$/, "LocationID must be a whole number")
    .transform(Number)
    .refine((n) => n >= 1, "LocationID must be a whole number")
    .optional(),
});

/** One template's configuration as GET and PUT answer it. */
export interface Automation {
  TemplateName: AutomationTemplate;
  /** null: group-wide. */
  LocationID: number | null;
  Enabled: boolean;
  AmountOff: number;
  MinimumPurchase: number;
  DaysTillExpiration: number;
  SpendThreshold: number | null;
  VisitInterval: number | null;
  DaysBefore: number | null;
  LapseDays: number | null;
  Message: string | null;
  /** null: never configured (the defaults, off). */
  UpdatedAt: string | null;
}
