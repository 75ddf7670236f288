// First run: only while the database has no group; afterwards this page sends people to sign in.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthPage } from "@/components/auth/auth-page";
import { SetupForm } from "@/components/setup/setup-form";
import { setupNeeded } from "@/lib/console/setup";

export const metadata: Metadata = { title: "Set up" };

export default async function SetupPage() {
  if (!(await setupNeeded())) redirect("/sign-in");
  return (
    <AuthPage wide title="Set up Engage Console" description="Name your business and its stores, and make the Owner account. This page is shown once, on the first run.">
      <SetupForm />
    </AuthPage>
  );
}
