// Registering and editing a customer: one set of fields validated by Engage's own wire schemas
// (customerRegisterSchema / customerUpdateSchema), the phone formatted as it is typed, Engage's
// ModelState shown on its fields (a taken phone names, and links to, the customer who has it),
// and changes never lost silently.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { Controller, useForm, type FieldErrors, type UseFormReturn } from "react-hook-form";
import type { z } from "zod";
import { useLeaveGuard } from "@/components/forms/use-leave-guard";
import { ErrorState, FormError, LoadingState } from "@/components/states/states";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import { caretAfterDigits, countDigits, customerName, formatPhone, formatPhoneInput } from "@/lib/console/client/customer-format";
import { useCustomer, useRegisterCustomer, useUpdateCustomer, type Customer, type CustomerInput } from "@/lib/console/client/customers";
import { isApiError } from "@/lib/console/client/fetch";
import { applyServerErrors, fieldsNamed } from "@/lib/console/client/form-errors";
import { customerRegisterSchema, customerUpdateSchema, IDENTIFIER_MESSAGE } from "@/lib/engage/schemas/customer";
import { US_STATES } from "@/lib/engage/schemas/fields";

/** What the form holds: the wire's properties, as the fields show them (text, and two booleans). */
export type CustomerFormValues = z.input<typeof customerRegisterSchema>;
type FieldName = Exclude<keyof CustomerFormValues, "CustomerID">;

const FIELD_LABELS: Record<FieldName, string> = {
  FirstName: "first name",
  LastName: "last name",
  Phone: "phone",
  Email: "email",
  ExternalID: "POS customer id",
  Birthday: "birthday",
  Address: "address",
  City: "city",
  State: "state",
  Zipcode: "ZIP code",
  AcceptsSMS: "SMS consent",
  AcceptsEmail: "email consent",
};
const FIELDS = Object.keys(FIELD_LABELS) as FieldName[];

const BLANK: Required<Omit<CustomerFormValues, "CustomerID">> = {
  FirstName: "",
  LastName: "",
  Phone: "",
  Email: "",
  ExternalID: "",
  Birthday: "",
  Address: "",
  City: "",
  State: "",
  Zipcode: "",
  AcceptsSMS: false,
  AcceptsEmail: false,
};

export function formValuesOf(customer: Customer): CustomerFormValues {
  return {
    FirstName: customer.FirstName ?? "",
    LastName: customer.LastName ?? "",
    Phone: formatPhone(customer.Phone),
    Email: customer.Email ?? "",
    ExternalID: customer.ExternalID ?? "",
    Birthday: customer.Birthday ?? "",
    Address: customer.Address ?? "",
    City: customer.City ?? "",
    State: customer.State ?? "",
    Zipcode: customer.Zipcode ?? "",
    AcceptsSMS: customer.AcceptsSMS,
    AcceptsEmail: customer.AcceptsEmail,
  };
}

/** "first name, email and phone" */
function listOf(words: string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** The schemas' messages are lower-case phrases ("must be a valid email address"); a field shows a sentence. */
function sentence(message: string | undefined): string | undefined {
  return message ? message.charAt(0).toUpperCase() + message.slice(1) : undefined;
}

/** A 409 from Engage: which property is taken, and by which customer. */
interface Conflict {
  field: string;
  customerId: number;
}

function conflictOf(error: unknown): Conflict | null {
  if (!isApiError(error) || error.status !== 409 || !error.body) return null;
  const { Property, ExistingCustomerID } = error.body;
  if (typeof Property !== "string" || typeof ExistingCustomerID !== "number") return null;
  return { field: Property, customerId: ExistingCustomerID };
}

function useCustomerForm(schema: typeof customerRegisterSchema | typeof customerUpdateSchema, defaultValues: CustomerFormValues) {
  const form = useForm<CustomerFormValues, unknown, CustomerInput>({ resolver: zodResolver(schema), defaultValues });
  const [conflict, setConflict] = useState<Conflict | null>(null);
  function showServerError(error: unknown) {
    applyServerErrors(error, form.setError, fieldsNamed<CustomerFormValues>(...FIELDS));
    setConflict(conflictOf(error));
  }
  return { form, conflict, showServerError };
}

function errorFor(errors: FieldErrors<CustomerFormValues>, field: FieldName, conflict: Conflict | null): ReactNode {
  const error = errors[field];
  if (!error) return undefined;
  if (error.type === "server" && conflict?.field === field) {
    return (
      <>
        Already belongs to{" "}
        <Link href={`/customers/${conflict.customerId}`} className="underline underline-offset-2">
          customer #{conflict.customerId}
        </Link>
        .
      </>
    );
  }
  // The wire's words name the wire's properties; the form names its fields.
  if (error.message?.toLowerCase() === IDENTIFIER_MESSAGE.toLowerCase()) return "Enter a phone number, an email or a POS customer id.";
  return sentence(error.message);
}

function CustomerFields({ form, conflict }: { form: UseFormReturn<CustomerFormValues, unknown, CustomerInput>; conflict: Conflict | null }) {
  const { errors } = form.formState;
  const error = (field: FieldName) => errorFor(errors, field, conflict);
  return (
    <>
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-3 text-lg font-semibold">Name</legend>
        <TextField label="First name" autoComplete="off" error={error("FirstName")} {...form.register("FirstName")} />
        <TextField label="Last name" autoComplete="off" error={error("LastName")} {...form.register("LastName")} />
      </fieldset>
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-1 text-lg font-semibold">Contact</legend>
        <p className="text-sm text-muted-foreground sm:col-span-2">A phone number, an email or a POS customer id is required: it is how the customer is found at the till.</p>
        <Controller
          control={form.control}
          name="Phone"
          render={({ field }) => (
            <TextField
              label="Phone"
              type="tel"
              inputMode="tel"
              autoComplete="off"
              placeholder="(555) 123-1234"
              error={error("Phone")}
              name={field.name}
              ref={field.ref}
              onBlur={field.onBlur}
              value={field.value ?? ""}
              onChange={(event) => {
                const input = event.target;
                const digitsBefore = countDigits(input.value.slice(0, input.selectionStart ?? input.value.length));
                const formatted = formatPhoneInput(input.value);
                field.onChange(formatted);
                // Keep the caret after the digit just typed or deleted, not at the end.
                requestAnimationFrame(() => {
                  if (document.activeElement !== input) return;
                  const caret = caretAfterDigits(formatted, digitsBefore);
                  input.setSelectionRange(caret, caret);
                });
              }}
            />
          )}
        />
        <TextField label="Email" type="email" inputMode="email" autoComplete="off" error={error("Email")} {...form.register("Email")} />
        <TextField
          label="POS customer id"
          autoComplete="off"
          description="The customer's number in your POS, if it has one."
          error={error("ExternalID")}
          {...form.register("ExternalID")}
        />
        <TextField label="Birthday" type="date" error={error("Birthday")} {...form.register("Birthday")} />
      </fieldset>
      <fieldset className="grid gap-4 sm:grid-cols-6">
        <legend className="mb-3 text-lg font-semibold">Address</legend>
        <TextField label="Street address" className="sm:col-span-6" autoComplete="off" error={error("Address")} {...form.register("Address")} />
        <TextField label="City" className="sm:col-span-3" autoComplete="off" error={error("City")} {...form.register("City")} />
        <SelectField label="State" className="sm:col-span-1" error={error("State")} {...form.register("State")}>
          <option value="">—</option>
          {US_STATES.map((state) => (
            <option key={state} value={state}>
              {state}
            </option>
          ))}
        </SelectField>
        <TextField label="ZIP code" className="sm:col-span-2" inputMode="numeric" autoComplete="off" error={error("Zipcode")} {...form.register("Zipcode")} />
      </fieldset>
      <fieldset className="grid gap-3">
        <legend className="mb-1 text-lg font-semibold">Marketing consent</legend>
        <p className="text-sm text-muted-foreground">Only what the customer agreed to. Every change is recorded with your name.</p>
        <label className="flex min-h-9 items-center gap-2">
          <input type="checkbox" className="size-4 accent-primary" {...form.register("AcceptsSMS")} />
          Accepts marketing by SMS
        </label>
        <label className="flex min-h-9 items-center gap-2">
          <input type="checkbox" className="size-4 accent-primary" {...form.register("AcceptsEmail")} />
          Accepts marketing by email
        </label>
      </fieldset>
    </>
  );
}

/** Only the properties that say something: register does not send empty ones. */
function withoutEmpty(input: CustomerInput): CustomerInput {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined)) as CustomerInput;
}

export function RegisterCustomerForm({ prefill }: { prefill?: Partial<Pick<CustomerFormValues, "Phone" | "Email" | "FirstName" | "LastName">> }) {
  const router = useRouter();
  const defaults: CustomerFormValues = { ...BLANK, ...prefill, Phone: prefill?.Phone ? formatPhoneInput(prefill.Phone) : "" };
  const { form, conflict, showServerError } = useCustomerForm(customerRegisterSchema, defaults);
  const register = useRegisterCustomer();
  const { errors, isSubmitting, isDirty } = form.formState;
  useLeaveGuard(isDirty);

  async function onSubmit(input: CustomerInput) {
    try {
      const customer = await register.mutateAsync(withoutEmpty(input));
      toast.success(`Registered ${customerName(customer)} as customer #${customer.CustomerID}.`);
      form.reset(formValuesOf(customer));
      router.push(`/customers/${customer.CustomerID}`);
    } catch (error) {
      showServerError(error);
      toast.error(isApiError(error) && error.status === 409 ? "Not registered: this customer may already exist." : "The customer was not registered.");
    }
  }

  return (
    <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="grid max-w-3xl gap-8">
      <FormError message={errors.root?.serverError?.message} />
      <CustomerFields form={form} conflict={conflict} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Registering…" : "Register customer"}
        </Button>
        <Button asChild variant="outline">
          <Link href="/customers">Cancel</Link>
        </Button>
      </div>
    </form>
  );
}

export function EditCustomerForm({ customer }: { customer: Customer }) {
  const router = useRouter();
  const { form, conflict, showServerError } = useCustomerForm(customerUpdateSchema, formValuesOf(customer));
  const update = useUpdateCustomer(customer.CustomerID);
  const { errors, isSubmitting, isDirty, dirtyFields } = form.formState;
  const profile = `/customers/${customer.CustomerID}`;
  useLeaveGuard(isDirty);

  async function onSubmit(input: CustomerInput) {
    // Only what changed: a POS may have updated the rest meanwhile, and PUT keeps absent properties.
    const changed = FIELDS.filter((field) => dirtyFields[field]);
    if (changed.length === 0) {
      toast.info("Nothing changed, so there was nothing to save.");
      return;
    }
    const patch = Object.fromEntries(changed.map((field) => [field, input[field] ?? null])) as CustomerInput;
    try {
      const saved = await update.mutateAsync(patch);
      toast.success(`Saved ${customerName(saved)}: ${listOf(changed.map((f) => FIELD_LABELS[f]))} changed.`);
      form.reset(formValuesOf(saved));
      router.push(profile);
    } catch (error) {
      showServerError(error);
      toast.error(`Changes to ${customerName(customer)} were not saved.`);
    }
  }

  return (
    <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="grid max-w-3xl gap-8">
      <FormError message={errors.root?.serverError?.message} />
      <CustomerFields form={form} conflict={conflict} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Save changes"}
        </Button>
        <Button asChild variant="outline">
          <Link href={profile}>Cancel</Link>
        </Button>
      </div>
    </form>
  );
}

/** The edit page's body: the form once the customer is known (from the server, or fetched here when Engage was not answering). */
export function EditCustomer({ customerId, initial }: { customerId: number; initial?: { customer: Customer; fetchedAt: number } }) {
  const query = useCustomer(customerId, initial);
  if (query.data) return <EditCustomerForm customer={query.data} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />;
  return <LoadingState label="Loading the customer…" rows={4} />;
}
