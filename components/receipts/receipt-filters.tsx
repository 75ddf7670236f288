// The receipts page's filters: dates, where sold, customer, SKU and total. Applied together
// (Enter or "Apply filters"), so the URL changes once per search and Back undoes it.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { ChevronDown, Search, SlidersHorizontal, X } from "lucide-react";
import Link from "next/link";
import { useEffect, useId, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { cn } from "@/components/ui/utils";
import { isValidAmount, isValidDay, isValidWholeNumber, type ReceiptFilters } from "@/lib/console/client/receipts";

/** "": every location (group-wide), "all": act for every location, else a LocationID. */
export type LocationChoice = string;

export interface LocationControl {
  /** "filter": the Owner acting group-wide narrows by location; "switch": choosing moves where the user works. */
  mode: "filter" | "switch";
  options: { value: LocationChoice; label: string }[];
  value: LocationChoice;
}

const amount = z
  .string()
  .trim()
  .transform((v) => v.replace(/^\$\s*/, "").replace(/,/g, ""))
  .refine((v) => v === "" || isValidAmount(v), "Enter an amount such as 12.50");

const filterSchema = z
  .object({
    from: z.string().refine((v) => v === "" || isValidDay(v), "Enter a date"),
    to: z.string().refine((v) => v === "" || isValidDay(v), "Enter a date"),
    location: z.string(),
    customer: z
      .string()
      .trim()
      .refine((v) => v === "" || isValidWholeNumber(v), "Enter a CustomerID: a whole number such as 1042"),
    sku: z.string().trim().max(64, "Must be at most 64 characters"),
    min: amount,
    max: amount,
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.to < v.from) ctx.addIssue({ code: "custom", path: ["to"], message: "Must be on or after the start date" });
    if (v.min && v.max && Number(v.max) < Number(v.min)) ctx.addIssue({ code: "custom", path: ["max"], message: "Must be at least the minimum total" });
  });

type FilterInput = z.input<typeof filterSchema>;
export type FilterValues = z.output<typeof filterSchema>;

function formValues(filters: ReceiptFilters, location: LocationControl | null): FilterInput {
  return {
    from: filters.from ?? "",
    to: filters.to ?? "",
    location: location?.value ?? "",
    customer: filters.customer === undefined ? "" : String(filters.customer),
    sku: filters.sku ?? "",
    min: filters.min ?? "",
    max: filters.max ?? "",
  };
}

export function ReceiptFilterForm({
  filters,
  location,
  filtered,
  busy,
  onApply,
}: {
  filters: ReceiptFilters;
  location: LocationControl | null;
  /** Whether the URL holds any filter: then "Clear filters" is offered. */
  filtered: boolean;
  busy: boolean;
  onApply: (values: FilterValues) => void;
}) {
  const form = useForm<FilterInput, unknown, FilterValues>({
    resolver: zodResolver(filterSchema),
    defaultValues: formValues(filters, location),
  });
  const { errors } = form.formState;
  // On a phone the seven fields would push the receipts off the screen: they fold away.
  const [open, setOpen] = useState(false);
  const fieldsId = useId();
  const shown = open || Object.keys(errors).length > 0;
  const active = [filters.from, filters.to, filters.location, filters.customer, filters.sku, filters.min, filters.max].filter((v) => v !== undefined).length;

  // Back, Forward or a link changed the URL: the fields show what the list shows.
  const inUrl = JSON.stringify(formValues(filters, location));
  useEffect(() => {
    form.reset(JSON.parse(inUrl) as FilterInput);
  }, [form, inUrl]);

  return (
    <form
      role="search"
      aria-label="Filter receipts"
      noValidate
      onSubmit={form.handleSubmit(onApply)}
      className="grid gap-4 rounded-lg border bg-card p-4 sm:p-5"
    >
      <Button
        variant="ghost"
        className="-m-2 justify-between sm:hidden"
        aria-expanded={open}
        aria-controls={fieldsId}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="flex items-center gap-2">
          <SlidersHorizontal aria-hidden /> Filters{active ? ` (${active} on)` : ""}
        </span>
        <ChevronDown aria-hidden className={cn("transition-transform", open && "rotate-180")} />
      </Button>
      <div id={fieldsId} className={cn("gap-4 sm:grid sm:grid-cols-2 lg:grid-cols-4", shown ? "grid" : "hidden")}>
        <TextField label="From" className="content-start" type="date" error={errors.from?.message} {...form.register("from")} />
        <TextField label="To" className="content-start" type="date" error={errors.to?.message} {...form.register("to")} />
        {location ? (
          <SelectField
            label="Sold at"
            className="content-start"
            description={location.mode === "switch" ? "Another location switches where you work" : undefined}
            error={errors.location?.message}
            {...form.register("location")}
          >
            {location.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </SelectField>
        ) : null}
        <TextField label="Customer ID" className="content-start" inputMode="numeric" autoComplete="off" error={errors.customer?.message} {...form.register("customer")} />
        <TextField label="SKU" className="content-start" autoComplete="off" description="The exact SKU of an item sold" error={errors.sku?.message} {...form.register("sku")} />
        <TextField label="Minimum total" className="content-start" inputMode="decimal" autoComplete="off" placeholder="0.00" error={errors.min?.message} {...form.register("min")} />
        <TextField label="Maximum total" className="content-start" inputMode="decimal" autoComplete="off" placeholder="0.00" error={errors.max?.message} {...form.register("max")} />
      </div>
      <div className={cn("flex flex-wrap gap-2", !shown && !filtered && "max-sm:hidden")}>
        <Button type="submit" disabled={busy} className={cn(!shown && "max-sm:hidden")}>
          <Search aria-hidden /> Apply filters
        </Button>
        {filtered ? (
          <Button asChild variant="outline">
            <Link href="/receipts">
              <X aria-hidden /> Clear filters
            </Link>
          </Button>
        ) : null}
      </div>
    </form>
  );
}
