// Labelled form fields: the label, the control, an optional hint and the error, wired with
// aria-describedby and aria-invalid so a screen reader reads all three.
"use client";

import { useId, type ComponentProps, type ReactNode } from "react";
import { Input } from "./input";
import { Label } from "./label";
import { NativeSelect } from "./native-select";
import { cn } from "./utils";

interface FieldParts {
  label: ReactNode;
  /** Usually text; a node when the message carries a link (such as the customer a phone belongs to). */
  error?: ReactNode;
  description?: ReactNode;
}

function describedBy(id: string, error?: ReactNode, description?: ReactNode): string | undefined {
  const ids = [description ? `${id}-description` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function FieldHint({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <p id={id} className="text-sm text-muted-foreground">
      {children}
    </p>
  );
}

export function FieldError({ id, children }: { id?: string; children?: ReactNode }) {
  if (!children) return null;
  return (
    <p id={id} className="text-sm font-medium text-destructive">
      {children}
    </p>
  );
}

export function TextField({ label, error, description, className, id, ...props }: FieldParts & ComponentProps<"input">) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <div className={cn("grid gap-2", className)}>
      <Label htmlFor={inputId}>{label}</Label>
      <Input id={inputId} aria-invalid={error ? true : undefined} aria-describedby={describedBy(inputId, error, description)} {...props} />
      {description ? <FieldHint id={`${inputId}-description`}>{description}</FieldHint> : null}
      <FieldError id={`${inputId}-error`}>{error}</FieldError>
    </div>
  );
}

export function SelectField({ label, error, description, className, id, children, ...props }: FieldParts & ComponentProps<"select">) {
  const generated = useId();
  const selectId = id ?? generated;
  return (
    <div className={cn("grid gap-2", className)}>
      <Label htmlFor={selectId}>{label}</Label>
      <NativeSelect id={selectId} aria-invalid={error ? true : undefined} aria-describedby={describedBy(selectId, error, description)} {...props}>
        {children}
      </NativeSelect>
      {description ? <FieldHint id={`${selectId}-description`}>{description}</FieldHint> : null}
      <FieldError id={`${selectId}-error`}>{error}</FieldError>
    </div>
  );
}

/** A group of checkboxes for a list of ids (locations, for instance), as one field. */
export function CheckboxGroupField<T extends string | number>({
  legend,
  options,
  value,
  onChange,
  error,
  description,
  disabled,
  single = false,
}: {
  legend: ReactNode;
  options: { value: T; label: string }[];
  value: T[];
  onChange: (value: T[]) => void;
  error?: ReactNode;
  description?: ReactNode;
  disabled?: boolean;
  /** Exactly one may be chosen: radio buttons instead of checkboxes. */
  single?: boolean;
}) {
  const id = useId();
  return (
    <fieldset className="grid gap-2" aria-describedby={describedBy(id, error, description)} disabled={disabled}>
      <legend className="mb-2 text-sm font-medium">{legend}</legend>
      {description ? <FieldHint id={`${id}-description`}>{description}</FieldHint> : null}
      <div className="grid max-h-48 gap-1 overflow-y-auto rounded-md border p-2 sm:grid-cols-2">
        {options.map((option) => {
          const checked = value.includes(option.value);
          return (
            <label key={String(option.value)} className="flex min-h-9 cursor-pointer items-center gap-2 rounded px-2 text-sm hover:bg-accent">
              <input
                type={single ? "radio" : "checkbox"}
                name={single ? id : undefined}
                className="size-4 accent-primary"
                checked={checked}
                onChange={(event) => {
                  if (single) onChange([option.value]);
                  else onChange(event.target.checked ? [...value, option.value] : value.filter((v) => v !== option.value));
                }}
              />
              {option.label}
            </label>
          );
        })}
      </div>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </fieldset>
  );
}
