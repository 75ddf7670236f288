// "Add person": a new console user with a role, their locations and a first password.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { UserPlus } from "lucide-react";
import { useState } from "react";
import { FormProvider, useForm } from "react-hook-form";
import { FormError } from "@/components/states/states";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import { applyServerErrors, fieldsNamed } from "@/lib/console/client/form-errors";
import { useAddPerson } from "@/lib/console/client/people";
import { personCreateSchema, type Location, type PersonCreateValues } from "@/lib/console/client/schemas";
import { ROLE_LABELS } from "@/lib/console/roles";
import { confirmDiscard } from "../use-unsaved-changes";
import { PersonAccessFields } from "./person-access-fields";

const EMPTY: PersonCreateValues = { Name: "", Email: "", Role: "staff", LocationIDs: [], Password: "" };

export function AddPersonDialog({ locations }: { locations: Location[] }) {
  const [open, setOpen] = useState(false);
  const form = useForm<PersonCreateValues>({ resolver: zodResolver(personCreateSchema), defaultValues: EMPTY });
  const addPerson = useAddPerson();
  const { errors, isSubmitting, isDirty } = form.formState;

  function onOpenChange(next: boolean) {
    if (!next && !confirmDiscard(isDirty)) return;
    if (!next) form.reset(EMPTY);
    setOpen(next);
  }

  async function onSubmit(values: PersonCreateValues) {
    try {
      const person = await addPerson.mutateAsync({ ...values, LocationIDs: values.Role === "owner" ? [] : values.LocationIDs });
      toast.success(`${person.Name} was added as ${ROLE_LABELS[person.Role]}. Give them their email and password to sign in.`);
      form.reset(EMPTY);
      setOpen(false);
    } catch (error) {
      applyServerErrors(error, form.setError, fieldsNamed<PersonCreateValues>("Name", "Email", "Role", "LocationIDs", "Password"));
    }
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>
          <UserPlus aria-hidden /> Add person
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Add person</DialogTitle>
          <DialogDescription>They sign in with this email and password, and can change the password in their profile.</DialogDescription>
        </DialogHeader>
        <FormProvider {...form}>
          <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="grid gap-4">
            <FormError message={errors.root?.serverError?.message} />
            <TextField label="Name" autoComplete="off" error={errors.Name?.message} {...form.register("Name")} />
            <TextField label="Email" type="email" inputMode="email" autoComplete="off" error={errors.Email?.message} {...form.register("Email")} />
            <PersonAccessFields locations={locations} />
            <TextField
              label="Password"
              type="password"
              autoComplete="new-password"
              description="At least 10 characters. Share it with them privately."
              error={errors.Password?.message}
              {...form.register("Password")}
            />
            <DialogFooter>
              <Button variant="outline" onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={isSubmitting}>
                {isSubmitting ? "Adding…" : "Add person"}
              </Button>
            </DialogFooter>
          </form>
        </FormProvider>
      </DialogContent>
    </Dialog>
  );
}
