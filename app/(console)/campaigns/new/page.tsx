// A new campaign: its offer, its audience, a preview and the send. Owners (a group campaign or
// any location's) and Managers (their locations'); Staff never reach it.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { NewCampaignForm } from "@/components/campaigns/new-campaign-form";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/console/roles";
import { listLocations } from "@/lib/console/settings";
import { requireUser } from "../../current-user";

export const metadata: Metadata = { title: "New campaign" };

export default async function NewCampaignPage() {
  const user = await requireUser("/campaigns/new");
  if (!can(user.role, "campaigns")) notFound();
  const mayActForGroup = can(user.role, "campaigns:group");
  return (
    <>
      <PageHeader
        title="New campaign"
        description="An offer for the customers you choose: they are told by SMS or email if they agreed to it, and redeem it at the till with its code."
      />
      <NewCampaignForm
        groupName={user.groupName}
        groupLocations={await listLocations(user.groupId)}
        workLocations={user.locations}
        mayActForGroup={mayActForGroup}
        defaultScope={user.currentLocationId ?? (mayActForGroup ? "group" : (user.locations[0]?.LocationID ?? "group"))}
      />
    </>
  );
}
