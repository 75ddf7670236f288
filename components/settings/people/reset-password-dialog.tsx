// An Owner sets a new password for someone: it works at once, and their sessions end.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { FormError } from "@/components/states/states";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import { applyServerErrors, fieldsNamed } from "@/lib/console/client/form-errors";
import { useResetPersonPassword } from "@/lib/console/client/people";
import { passwordResetSchema, type PasswordResetValues, type Person } from "@/lib/console/client/schemas";
import { confirmDiscard } from "../use-unsaved-changes";

export function ResetPasswordDialog({
  person,
  onClose,
  onCloseAutoFocus,
}: {
  person: Person;
  onClose: () => void;
  onCloseAutoFocus?: (event: Event) => void;
}) {
  const form = useForm<PasswordResetValues>({ resolver: zodResolver(passwordResetSchema), defaultValues: { Password: "" } });
  const reset = useResetPersonPassword(person.UserID);
  const { errors, isSubmitting, isDirty } = form.formState;

  async function onSubmit(values: PasswordResetValues) {
    try {
      await reset.mutateAsync(values);
      toast.success(`New password set for ${person.Name}. They were signed out everywhere.`);
      onClose();
    } catch (error) {
      applyServerErrors(error, form.setError, fieldsNamed<PasswordResetValues>("Password"));
    }
  }

  return (
    <Dialog open onOpenChange={(open) => !open && confirmDiscard(isDirty) && onClose()}>
      <DialogContent onCloseAutoFocus={onCloseAutoFocus}>
        <DialogHeader>
          <DialogTitle>Reset password</DialogTitle>
          <DialogDescription>
            A new password for {person.Name} ({person.Email}). It works at once and signs them out everywhere.
          </DialogDescription>
        </DialogHeader>
        <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="grid gap-4">
          <FormError message={errors.root?.serverError?.message} />
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            description="At least 10 characters. Share it with them privately."
            error={errors.Password?.message}
            {...form.register("Password")}
          />
          <DialogFooter>
            <Button variant="outline" onClick={() => confirmDiscard(isDirty) && onClose()}>
              Cancel
            </Button>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? "Setting…" : "Set password"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
