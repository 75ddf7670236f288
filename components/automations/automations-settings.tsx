// Automations: the five templates of one scope — the whole group, or a location — each with
// its on/off switch, its terms and parameter, and its message, saved one template at a time
// (Engage's own schema for that template validates the form). The scope is in the URL
// (?scope=group|{LocationID}). A location's template, when on, takes the place of the group's.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useId } from "react";
import { useForm, useWatch } from "react-hook-form";
import type { z } from "zod";
import { MessagePreview } from "@/components/campaigns/message-preview";
import { ErrorState, FormError, LoadingState } from "@/components/states/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FieldError, FieldHint, SelectField, TextField } from "@/components/ui/field";
import { Label } from "@/components/ui/label";
import { LocalTime } from "@/components/ui/local-time";
import { toast } from "@/components/ui/toaster";
import {
  automationActAt,
  TEMPLATE_WORDS,
  useAutomations,
  useSaveAutomation,
  type Automation,
  type AutomationScope,
} from "@/lib/console/client/automations";
import type { ActAt } from "@/lib/console/client/campaigns";
import { applyServerErrors, fieldsNamed } from "@/lib/console/client/form-errors";
import { automationUpdateSchemaFor, TEMPLATE_PARAMETER, type AutomationParameter } from "@/lib/engage/schemas/automation";

type FormValues = z.input<ReturnType<typeof automationUpdateSchemaFor>>;
type Output = z.output<ReturnType<typeof automationUpdateSchemaFor>>;

const PARAMETER_FIELD: Record<AutomationParameter, { label: string; hint: string; decimal: boolean }> = {
  SpendThreshold: { label: "Every ($ of lifetime spend)", hint: "An offer each time lifetime spend passes a multiple of this.", decimal: true },
  VisitInterval: { label: "Every (visits)", hint: "An offer on every Nth visit.", decimal: false },
  DaysBefore: { label: "Days before the birthday", hint: "From 0 (on the day) to 60.", decimal: false },
  LapseDays: { label: "After (days without a visit)", hint: "From 7 to 730 days.", decimal: false },
};

const FIELDS = ["Enabled", "AmountOff", "MinimumPurchase", "DaysTillExpiration", "SpendThreshold", "VisitInterval", "DaysBefore", "LapseDays", "Message"] as const;
const MESSAGE_MAX = 480;
const toNumber = (value: unknown) => (value === "" || value === null || value === undefined ? null : Number(value));

function sentence(message: string | undefined): string | undefined {
  return message ? message.charAt(0).toUpperCase() + message.slice(1) : undefined;
}

function valuesOf(a: Automation): FormValues {
  return {
    Enabled: a.Enabled,
    AmountOff: a.AmountOff,
    MinimumPurchase: a.MinimumPurchase,
    DaysTillExpiration: a.DaysTillExpiration,
    SpendThreshold: a.SpendThreshold,
    VisitInterval: a.VisitInterval,
    DaysBefore: a.DaysBefore,
    LapseDays: a.LapseDays,
    Message: a.Message ?? "",
  };
}

function TemplateCard({
  automation,
  actAt,
  readOnly,
  scopeName,
  groupName,
}: {
  automation: Automation;
  actAt: ActAt | null;
  readOnly: boolean;
  scopeName: string;
  groupName: string;
}) {
  const id = useId();
  const template = automation.TemplateName;
  const words = TEMPLATE_WORDS[template];
  const parameter = TEMPLATE_PARAMETER[template];
  const form = useForm<FormValues, unknown, Output>({ resolver: zodResolver(automationUpdateSchemaFor(template)), values: valuesOf(automation) });
  const save = useSaveAutomation(actAt);
  const { errors, isDirty, isSubmitting } = form.formState;
  const watched = useWatch({ control: form.control });
  const error = (field: (typeof FIELDS)[number]) => sentence(errors[field]?.message);

  async function onSubmit(input: Output) {
    try {
      const saved = await save.mutateAsync({ template, input: { ...input, LocationID: automation.LocationID } });
      form.reset(valuesOf(saved));
      toast.success(`${words.title} is ${saved.Enabled ? "on" : "off"} for ${scopeName}.`);
    } catch (e) {
      applyServerErrors(e, form.setError, fieldsNamed<FormValues>(...FIELDS));
      toast.error(`${words.title} was not saved.`);
    }
  }

  return (
    <form
      noValidate
      onSubmit={form.handleSubmit(onSubmit)}
      aria-labelledby={`${id}-title`}
      className="grid gap-4 rounded-xl border bg-card p-5"
      data-testid={`automation-${template}`}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1">
          <h2 id={`${id}-title`} className="text-lg font-semibold">
            {words.title}{" "}
            <Badge variant={automation.Enabled ? "default" : "outline"} className="ml-1 align-middle">
              {automation.Enabled ? "On" : "Off"}
            </Badge>
          </h2>
          <p className="text-sm text-muted-foreground">{words.trigger}</p>
          {automation.UpdatedAt ? (
            <p className="text-xs text-muted-foreground">
              Saved <LocalTime value={automation.UpdatedAt} withTime />
            </p>
          ) : null}
        </div>
        <label className="flex min-h-9 items-center gap-2 font-medium">
          <input type="checkbox" role="switch" className="size-5 accent-primary" disabled={readOnly} {...form.register("Enabled")} aria-describedby={`${id}-title`} />
          On
        </label>
      </div>
      <FormError message={errors.root?.serverError?.message} />
      <fieldset disabled={readOnly || isSubmitting} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <legend className="sr-only">{words.title}: terms</legend>
        <TextField
          label="Amount off ($)"
          inputMode="decimal"
          autoComplete="off"
          error={error("AmountOff")}
          {...form.register("AmountOff", { setValueAs: (v) => toNumber(v) ?? undefined })}
        />
        <TextField
          label="Minimum purchase ($)"
          inputMode="decimal"
          autoComplete="off"
          error={error("MinimumPurchase")}
          {...form.register("MinimumPurchase", { setValueAs: toNumber })}
        />
        <TextField
          label="Days till expiration"
          inputMode="numeric"
          autoComplete="off"
          error={error("DaysTillExpiration")}
          {...form.register("DaysTillExpiration", { setValueAs: toNumber })}
        />
        {parameter ? (
          <TextField
            label={PARAMETER_FIELD[parameter].label}
            inputMode={PARAMETER_FIELD[parameter].decimal ? "decimal" : "numeric"}
            autoComplete="off"
            description={PARAMETER_FIELD[parameter].hint}
            error={error(parameter)}
            {...form.register(parameter, { setValueAs: toNumber })}
          />
        ) : null}
        <div className="grid gap-2 sm:col-span-2 lg:col-span-4">
          <Label htmlFor={`${id}-message`}>Message</Label>
          <textarea
            id={`${id}-message`}
            rows={2}
            maxLength={MESSAGE_MAX}
            aria-invalid={errors.Message ? true : undefined}
            aria-describedby={`${id}-message-hint${errors.Message ? ` ${id}-message-error` : ""}`}
            className="w-full rounded-md border border-input bg-background px-3 py-2 text-base outline-none focus-visible:ring-2 focus-visible:ring-ring aria-invalid:border-destructive disabled:opacity-60 sm:text-sm"
            {...form.register("Message")}
          />
          <FieldHint id={`${id}-message-hint`}>Leave empty for the standard message. Merge fields such as {"{FirstName}"} are filled in.</FieldHint>
          <FieldError id={`${id}-message-error`}>{error("Message")}</FieldError>
        </div>
      </fieldset>
      <details className="rounded-lg border px-3 py-2">
        <summary className="cursor-pointer text-sm font-medium">Preview the message</summary>
        <div className="mt-3">
          <MessagePreview
            groupName={groupName}
            terms={{
              AmountOff: typeof watched.AmountOff === "number" ? watched.AmountOff : 0,
              MinimumPurchase: typeof watched.MinimumPurchase === "number" ? watched.MinimumPurchase : 0,
              DaysTillExpiration: typeof watched.DaysTillExpiration === "number" ? watched.DaysTillExpiration : 30,
              Message: watched.Message ?? "",
              locationName: automation.LocationID === null ? groupName : scopeName,
              templateName: template,
            }}
          />
        </div>
      </details>
      {readOnly ? null : (
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={isSubmitting}>
            {isSubmitting ? "Saving…" : `Save ${words.title.toLowerCase()}`}
          </Button>
          {isDirty ? <span className="text-sm text-muted-foreground">Unsaved changes</span> : null}
        </div>
      )}
    </form>
  );
}

export function AutomationsSettings({
  groupName,
  scopes,
  mayActForGroup,
  defaultScope,
  fallbackLocation,
}: {
  groupName: string;
  /** The scopes the user may see: the group, and locations (the Owner: all; a Manager: theirs). */
  scopes: { value: AutomationScope; label: string }[];
  mayActForGroup: boolean;
  defaultScope: AutomationScope;
  /** A Manager reads the group-wide templates with this location's key. */
  fallbackLocation: number | null;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const requested = searchParams.get("scope");
  const scope: AutomationScope =
    scopes.find((s) => String(s.value) === requested)?.value ?? (scopes.some((s) => s.value === defaultScope) ? defaultScope : scopes[0].value);
  const actAt = automationActAt(scope, mayActForGroup, fallbackLocation);
  const automations = useAutomations(scope, actAt);
  const scopeName = scopes.find((s) => s.value === scope)?.label ?? "";
  const readOnly = scope === "group" && !mayActForGroup;

  return (
    <div className="grid gap-6">
      <SelectField
        label="For"
        className="max-w-sm"
        value={String(scope)}
        description={
          scope === "group"
            ? readOnly
              ? "The group's automations apply at every location; only an Owner changes them."
              : "Apply at every location, unless a location turns on its own."
            : "When on here, this location's own settings take the place of the group's."
        }
        onChange={(e) => router.push(`${pathname}?scope=${e.target.value}`, { scroll: false })}
      >
        {scopes.map((s) => (
          <option key={String(s.value)} value={String(s.value)}>
            {s.label}
          </option>
        ))}
      </SelectField>
      {automations.error && !automations.data ? (
        <ErrorState error={automations.error} onRetry={() => void automations.refetch()} retrying={automations.isFetching} />
      ) : !automations.data ? (
        <LoadingState label="Loading automations…" rows={5} />
      ) : (
        <div className="grid gap-4" aria-busy={automations.isFetching}>
          {automations.data.map((a) => (
            <TemplateCard key={`${String(scope)}-${a.TemplateName}`} automation={a} actAt={actAt} readOnly={readOnly} scopeName={scopeName} groupName={groupName} />
          ))}
        </div>
      )}
    </div>
  );
}
