// Your own password: the current one, the new one twice; other sessions can be signed out.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { FormError } from "@/components/states/states";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import { authClient, authErrorMessage } from "@/lib/console/client/auth-client";
import { changePasswordSchema, type ChangePasswordValues } from "@/lib/console/client/schemas";
import { useWarnOnLeave } from "../use-unsaved-changes";

const EMPTY: ChangePasswordValues = { currentPassword: "", newPassword: "", confirmPassword: "", revokeOtherSessions: true };

export function ChangePasswordForm() {
  const form = useForm<ChangePasswordValues>({ resolver: zodResolver(changePasswordSchema), defaultValues: EMPTY });
  const { errors, isSubmitting, isDirty } = form.formState;
  useWarnOnLeave(isDirty);

  async function onSubmit(values: ChangePasswordValues) {
    const { error } = await authClient.changePassword({
      currentPassword: values.currentPassword,
      newPassword: values.newPassword,
      revokeOtherSessions: values.revokeOtherSessions,
    });
    if (error) {
      const message = authErrorMessage(error);
      if (error.code === "INVALID_PASSWORD") form.setError("currentPassword", { type: "server", message });
      else if (error.code === "PASSWORD_TOO_SHORT" || error.code === "PASSWORD_TOO_LONG") form.setError("newPassword", { type: "server", message });
      else form.setError("root.serverError", { type: String(error.status), message });
      return;
    }
    form.reset(EMPTY);
    toast.success(values.revokeOtherSessions ? "Your password was changed, and your other sessions were signed out." : "Your password was changed.");
  }

  return (
    <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="grid max-w-md gap-4">
      <FormError message={errors.root?.serverError?.message} />
      <TextField label="Current password" type="password" autoComplete="current-password" error={errors.currentPassword?.message} {...form.register("currentPassword")} />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        description="At least 10 characters."
        error={errors.newPassword?.message}
        {...form.register("newPassword")}
      />
      <TextField label="Confirm new password" type="password" autoComplete="new-password" error={errors.confirmPassword?.message} {...form.register("confirmPassword")} />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" className="size-4 accent-primary" {...form.register("revokeOtherSessions")} />
        Sign me out on my other devices
      </label>
      <div>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Changing…" : "Change password"}
        </Button>
      </div>
    </form>
  );
}
