// First run: the group, its first locations and the Owner's account in one form; then the
// Owner is signed in and lands on Home.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { Plus, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useFieldArray, useForm } from "react-hook-form";
import { FormError } from "@/components/states/states";
import { Button } from "@/components/ui/button";
import { FieldError, TextField } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import { authClient, authErrorMessage } from "@/lib/console/client/auth-client";
import { isApiError } from "@/lib/console/client/fetch";
import { applyServerErrors } from "@/lib/console/client/form-errors";
import { setupSchema, type SetupValues } from "@/lib/console/client/schemas";
import { useRunSetup } from "@/lib/console/client/session";

const MAX_LOCATIONS = 20;

function fieldFor(key: string): keyof SetupValues | `Locations.${number}.Name` | undefined {
  if (key === "GroupName" || key === "Name" || key === "Email" || key === "Password" || key === "Locations") return key;
  const row = /^Locations\.(\d+)$/.exec(key);
  return row ? `Locations.${Number(row[1])}.Name` : undefined;
}

export function SetupForm() {
  const router = useRouter();
  const form = useForm<SetupValues>({
    resolver: zodResolver(setupSchema),
    defaultValues: { GroupName: "", Locations: [{ Name: "" }], Name: "", Email: "", Password: "" },
  });
  const locations = useFieldArray({ control: form.control, name: "Locations" });
  const runSetup = useRunSetup();
  const { errors, isSubmitting } = form.formState;

  async function onSubmit(values: SetupValues) {
    try {
      await runSetup.mutateAsync({ ...values, Locations: values.Locations.map((l) => l.Name) });
    } catch (error) {
      if (isApiError(error) && error.status === 409) {
        toast.info("This console is already set up. Sign in instead.");
        router.replace("/sign-in");
        return;
      }
      applyServerErrors(error, form.setError, fieldFor);
      return;
    }
    toast.success(`${values.GroupName} is set up. Welcome!`);
    const { error } = await authClient.signIn.email({ email: values.Email, password: values.Password });
    if (error) {
      toast.error(`Your account is ready, but signing in failed: ${authErrorMessage(error)}`);
      router.replace("/sign-in");
      return;
    }
    router.replace("/");
    router.refresh();
  }

  return (
    <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="grid gap-6">
      <FormError message={errors.root?.serverError?.message} />
      <fieldset className="grid gap-4">
        <legend className="mb-3 text-base font-semibold">Your business</legend>
        <TextField
          label="Group name"
          description="The business that owns your stores, as your staff know it."
          autoComplete="organization"
          error={errors.GroupName?.message}
          {...form.register("GroupName")}
        />
        <div className="grid gap-3">
          <p className="text-sm font-medium" id="locations-heading">
            Locations
          </p>
          <p className="-mt-2 text-sm text-muted-foreground">Your stores. Add the rest now or later in Settings.</p>
          <ul className="grid gap-3" aria-labelledby="locations-heading">
            {locations.fields.map((field, index) => (
              <li key={field.id} className="flex items-start gap-2">
                <TextField
                  className="flex-1"
                  label={`Location ${index + 1} name`}
                  error={errors.Locations?.[index]?.Name?.message}
                  {...form.register(`Locations.${index}.Name`)}
                />
                <Button
                  variant="ghost"
                  size="icon"
                  className="mt-6"
                  aria-label={`Remove location ${index + 1}`}
                  disabled={locations.fields.length === 1}
                  onClick={() => locations.remove(index)}
                >
                  <Trash2 aria-hidden />
                </Button>
              </li>
            ))}
          </ul>
          <FieldError>{errors.Locations?.message ?? errors.Locations?.root?.message}</FieldError>
          <div>
            <Button
              variant="outline"
              size="sm"
              disabled={locations.fields.length >= MAX_LOCATIONS}
              onClick={() => locations.append({ Name: "" }, { shouldFocus: true })}
            >
              <Plus aria-hidden /> Add location
            </Button>
          </div>
        </div>
      </fieldset>
      <fieldset className="grid gap-4">
        <legend className="mb-3 text-base font-semibold">Your Owner account</legend>
        <TextField label="Your name" autoComplete="name" error={errors.Name?.message} {...form.register("Name")} />
        <TextField label="Email" type="email" inputMode="email" autoComplete="username" error={errors.Email?.message} {...form.register("Email")} />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          description="At least 10 characters."
          error={errors.Password?.message}
          {...form.register("Password")}
        />
      </fieldset>
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Setting up…" : "Set up the console"}
      </Button>
    </form>
  );
}
