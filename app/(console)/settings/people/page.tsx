// Settings → People (Owner only).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { PeopleSettings } from "@/components/settings/people/people-settings";
import { can } from "@/lib/console/roles";
import { requireUser } from "../../current-user";

export const metadata: Metadata = { title: "People" };

export default async function PeoplePage() {
  const user = await requireUser("/settings/people");
  if (!can(user.role, "settings")) notFound();
  return (
    <>
      <PageHeader title="People" description="Who can sign in to the console, with which role and at which locations. A deactivated person is signed out at once." />
      <PeopleSettings currentUserId={user.id} />
    </>
  );
}
