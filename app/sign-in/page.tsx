// Sign-in. A signed-in user goes straight on; an empty database goes to first-run setup.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthPage } from "@/components/auth/auth-page";
import { SignInForm } from "@/components/auth/sign-in-form";
import { setupNeeded } from "@/lib/console/setup";
import { currentUser, safeNextPath } from "../(console)/current-user";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNextPath((await searchParams).next);
  if (await currentUser()) redirect(next);
  if (await setupNeeded()) redirect("/setup");
  return (
    <AuthPage title="Sign in" description="Use the email and password your Owner gave you.">
      <SignInForm next={next} />
    </AuthPage>
  );
}
