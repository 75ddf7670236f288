// Sign-in with email and password (better-auth); back to the page the user came from.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { FormError } from "@/components/states/states";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { authClient, authErrorMessage } from "@/lib/console/client/auth-client";
import { signInSchema, type SignInValues } from "@/lib/console/client/schemas";

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const form = useForm<SignInValues>({ resolver: zodResolver(signInSchema), defaultValues: { email: "", password: "" } });
  const { errors, isSubmitting } = form.formState;

  async function onSubmit(values: SignInValues) {
    const { error } = await authClient.signIn.email({ email: values.email, password: values.password });
    if (error) {
      form.setError("root.serverError", { type: String(error.status), message: authErrorMessage(error) });
      form.resetField("password", { keepError: true });
      form.setFocus("password");
      return;
    }
    router.replace(next);
    router.refresh();
  }

  return (
    <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="grid gap-4">
      <FormError message={errors.root?.serverError?.message} />
      <TextField label="Email" type="email" autoComplete="username" inputMode="email" autoFocus error={errors.email?.message} {...form.register("email")} />
      <TextField label="Password" type="password" autoComplete="current-password" error={errors.password?.message} {...form.register("password")} />
      <Button type="submit" disabled={isSubmitting} className="mt-2">
        {isSubmitting ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
