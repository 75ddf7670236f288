// Automations: offers that send themselves — welcome, spend and visit milestones, birthdays,
// win-back — for the whole group (an Owner) or a location (an Owner, or its Manager).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AutomationsSettings } from "@/components/automations/automations-settings";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/console/roles";
import { requireUser } from "../current-user";
import { pathWithQuery } from "../page-path";

export const metadata: Metadata = { title: "Automations" };

export default async function AutomationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser(pathWithQuery("/automations", await searchParams));
  if (!can(user.role, "automations")) notFound();
  const owner = user.role === "owner";
  const scopes = [
    { value: "group" as const, label: owner ? `The whole group (${user.groupName})` : `The whole group (read-only)` },
    ...user.locations.map((l) => ({ value: l.LocationID, label: l.Name })),
  ];
  return (
    <>
      <PageHeader
        title="Automations"
        description="Offers that send themselves when something happens: a first visit, a milestone, a birthday, a long absence. Each is off until you turn it on."
      />
      <AutomationsSettings
        groupName={user.groupName}
        scopes={scopes}
        mayActForGroup={owner}
        defaultScope={owner ? (user.currentLocationId ?? "group") : (user.currentLocationId ?? user.locations[0]?.LocationID ?? "group")}
        fallbackLocation={user.currentLocationId ?? user.locations[0]?.LocationID ?? null}
      />
    </>
  );
}
