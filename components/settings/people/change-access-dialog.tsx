// Change a person's role and locations.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { FormProvider, useForm } from "react-hook-form";
import { FormError } from "@/components/states/states";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { toast } from "@/components/ui/toaster";
import { applyServerErrors, fieldsNamed } from "@/lib/console/client/form-errors";
import { useChangePersonAccess } from "@/lib/console/client/people";
import { personAccessSchema, type Location, type Person, type PersonAccessValues } from "@/lib/console/client/schemas";
import { ROLE_LABELS } from "@/lib/console/roles";
import { confirmDiscard } from "../use-unsaved-changes";
import { PersonAccessFields } from "./person-access-fields";

export function ChangeAccessDialog({
  person,
  locations,
  onClose,
  onCloseAutoFocus,
}: {
  person: Person;
  locations: Location[];
  onClose: () => void;
  onCloseAutoFocus?: (event: Event) => void;
}) {
  const form = useForm<PersonAccessValues>({
    resolver: zodResolver(personAccessSchema),
    defaultValues: { Role: person.Role, LocationIDs: person.LocationIDs },
  });
  const change = useChangePersonAccess(person.UserID);
  const { errors, isSubmitting, isDirty } = form.formState;

  async function onSubmit(values: PersonAccessValues) {
    try {
      const updated = await change.mutateAsync({ Role: values.Role, LocationIDs: values.Role === "owner" ? [] : values.LocationIDs });
      const where = updated.Role === "owner" ? "every location" : locations.filter((l) => updated.LocationIDs.includes(l.LocationID)).map((l) => l.Name).join(", ");
      toast.success(`${updated.Name} is now ${ROLE_LABELS[updated.Role]} at ${where}.`);
      onClose();
    } catch (error) {
      applyServerErrors(error, form.setError, fieldsNamed<PersonAccessValues>("Role", "LocationIDs"));
    }
  }

  return (
    <Dialog open onOpenChange={(open) => !open && confirmDiscard(isDirty) && onClose()}>
      <DialogContent onCloseAutoFocus={onCloseAutoFocus}>
        <DialogHeader>
          <DialogTitle>Change role and locations</DialogTitle>
          <DialogDescription>
            {person.Name} ({person.Email}). The change applies from their next page.
          </DialogDescription>
        </DialogHeader>
        <FormProvider {...form}>
          <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="grid gap-4">
            <FormError message={errors.root?.serverError?.message} />
            <PersonAccessFields locations={locations} />
            <DialogFooter>
              <Button variant="outline" onClick={() => confirmDiscard(isDirty) && onClose()}>
                Cancel
              </Button>
              <Button type="submit" disabled={isSubmitting}>
                {isSubmitting ? "Saving…" : "Save changes"}
              </Button>
            </DialogFooter>
          </form>
        </FormProvider>
      </DialogContent>
    </Dialog>
  );
}
