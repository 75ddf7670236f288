// Who gets a campaign's offer: everyone, the customers who match filters (bought at a location,
// visited or not lately, spent or visited enough, birthday month, consent), or a pasted or
// uploaded list of CustomerIDs. Its own form (react-hook-form), checked before anything is asked.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useId, type ChangeEvent } from "react";
import { useForm, useWatch, type UseFormReturn } from "react-hook-form";
import { Label } from "@/components/ui/label";
import { FieldError, FieldHint, SelectField, TextField } from "@/components/ui/field";
import { cn } from "@/components/ui/utils";
import { audienceSchema, BLANK_AUDIENCE, MAX_SEND, parseCustomerIds, type AudienceValues } from "@/lib/console/client/campaigns";
import type { NamedLocation } from "./campaign-format";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
/** A file of CustomerIDs is read in the browser; a million lines is far beyond any send. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

export type AudienceForm = UseFormReturn<AudienceValues>;

export function useAudienceForm(defaults: Partial<AudienceValues> = {}): AudienceForm {
  return useForm<AudienceValues>({ resolver: zodResolver(audienceSchema), defaultValues: { ...BLANK_AUDIENCE, ...defaults } });
}

export function AudienceFields({
  form,
  purchaseLocations,
  purchaseHint,
  disabled,
}: {
  form: AudienceForm;
  /** The locations "bought at" may name (a Manager: theirs). */
  purchaseLocations: NamedLocation[];
  purchaseHint?: string;
  disabled?: boolean;
}) {
  const id = useId();
  const mode = useWatch({ control: form.control, name: "Mode" });
  const pasted = useWatch({ control: form.control, name: "CustomerIDs" });
  const { errors } = form.formState;
  const parsed = mode === "list" ? parseCustomerIds(pasted ?? "") : null;

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      form.setError("CustomerIDs", { type: "file", message: "That file is over 5 MB: a send takes at most 10,000 CustomerIDs." });
      return;
    }
    form.setValue("CustomerIDs", await file.text(), { shouldDirty: true, shouldValidate: true });
    event.target.value = "";
  }

  const modes = [
    { value: "everyone", label: "Everyone", hint: "Every registered customer of the group." },
    { value: "filters", label: "Customers who match filters", hint: "Narrow by where they bought, when they last came, what they spent, birthdays and consent." },
    { value: "list", label: "A list of CustomerIDs", hint: "Paste them, or upload a CSV or text file." },
  ] as const;

  return (
    <fieldset disabled={disabled} className="grid gap-4" aria-describedby={errors.Mode ? `${id}-mode-error` : undefined}>
      <legend className="sr-only">Audience</legend>
      <div role="radiogroup" aria-label="Who gets the offer" className="grid gap-2 sm:grid-cols-3">
        {modes.map((m) => (
          <label
            key={m.value}
            className={cn(
              "flex cursor-pointer gap-3 rounded-lg border p-3 hover:bg-accent has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring",
              mode === m.value && "border-primary bg-accent/50",
            )}
          >
            <input type="radio" value={m.value} className="mt-1 size-4 accent-primary" {...form.register("Mode")} aria-describedby={`${id}-${m.value}`} />
            <span className="grid gap-1">
              <span className="font-medium">{m.label}</span>
              <span id={`${id}-${m.value}`} className="text-sm text-muted-foreground">
                {m.hint}
              </span>
            </span>
          </label>
        ))}
      </div>
      <FieldError id={`${id}-mode-error`}>{errors.Mode?.message}</FieldError>

      {mode === "filters" ? (
        <div className="grid gap-4 rounded-lg border p-4 sm:grid-cols-2">
          <SelectField label="Purchased at" description={purchaseHint} {...form.register("PurchasedAtLocationID")}>
            <option value="">Any location, or none</option>
            {purchaseLocations.map((l) => (
              <option key={l.LocationID} value={l.LocationID}>
                {l.Name}
              </option>
            ))}
          </SelectField>
          <SelectField label="Birthday month" {...form.register("BirthdayMonth")}>
            <option value="">Any month</option>
            {MONTHS.map((name, i) => (
              <option key={name} value={i + 1}>
                {name}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Visited in the last (days)"
            inputMode="numeric"
            autoComplete="off"
            error={errors.VisitedWithinDays?.message}
            {...form.register("VisitedWithinDays")}
          />
          <TextField
            label="Not visited in the last (days)"
            inputMode="numeric"
            autoComplete="off"
            description="Includes customers who never visited."
            error={errors.NotVisitedWithinDays?.message}
            {...form.register("NotVisitedWithinDays")}
          />
          <TextField
            label="Lifetime spend at least ($)"
            inputMode="decimal"
            autoComplete="off"
            error={errors.MinLifetimeSpend?.message}
            {...form.register("MinLifetimeSpend")}
          />
          <TextField label="Visits at least" inputMode="numeric" autoComplete="off" error={errors.MinVisits?.message} {...form.register("MinVisits")} />
          <fieldset className="grid gap-2 sm:col-span-2">
            <legend className="mb-1 text-sm font-medium">Consent</legend>
            <label className="flex min-h-9 items-center gap-2">
              <input type="checkbox" className="size-4 accent-primary" {...form.register("AcceptsSMS")} />
              Accepts marketing by SMS
            </label>
            <label className="flex min-h-9 items-center gap-2">
              <input type="checkbox" className="size-4 accent-primary" {...form.register("AcceptsEmail")} />
              Accepts marketing by email
            </label>
          </fieldset>
        </div>
      ) : null}

      {mode === "list" ? (
        <div className="grid gap-3 rounded-lg border p-4">
          <div className="grid gap-2">
            <Label htmlFor={`${id}-ids`}>CustomerIDs</Label>
            <textarea
              id={`${id}-ids`}
              rows={6}
              spellCheck={false}
              autoComplete="off"
              aria-invalid={errors.CustomerIDs ? true : undefined}
              aria-describedby={`${id}-ids-hint ${id}-ids-count${errors.CustomerIDs ? ` ${id}-ids-error` : ""}`}
              className="w-full rounded-md border border-input bg-background px-3 py-2 font-mono text-sm outline-none focus-visible:ring-2 focus-visible:ring-ring aria-invalid:border-destructive"
              {...form.register("CustomerIDs")}
            />
            <FieldHint id={`${id}-ids-hint`}>Separated by commas, spaces or lines. A CSV with a header row uses its CustomerID column.</FieldHint>
            <p id={`${id}-ids-count`} aria-live="polite" className="text-sm">
              {parsed && parsed.ids.length + parsed.rejected > 0
                ? `${parsed.ids.length.toLocaleString("en-US")} CustomerIDs${parsed.duplicates ? `, ${parsed.duplicates} repeated (counted once)` : ""}${
                    parsed.rejected ? `, ${parsed.rejected} entries that are not CustomerIDs (left out)` : ""
                  }${parsed.ids.length > MAX_SEND ? `. A send takes at most ${MAX_SEND.toLocaleString("en-US")}: the first ${MAX_SEND.toLocaleString("en-US")} are used.` : "."}`
                : ""}
            </p>
            <FieldError id={`${id}-ids-error`}>{errors.CustomerIDs?.message}</FieldError>
          </div>
          <div className="grid gap-2">
            <Label htmlFor={`${id}-file`}>Or upload a file</Label>
            <input
              id={`${id}-file`}
              type="file"
              accept=".csv,.txt,text/csv,text/plain"
              onChange={(event) => void onFile(event)}
              className="text-sm file:mr-3 file:rounded-md file:border file:border-input file:bg-background file:px-3 file:py-1.5 file:text-sm file:font-medium"
            />
          </div>
        </div>
      ) : null}
    </fieldset>
  );
}
