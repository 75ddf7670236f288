// Campaigns: the group's and the user's locations' manual campaigns and how each did, filtered by
// scope (in the URL); a new one from here. Owners and Managers only.
import { Megaphone } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CampaignsList } from "@/components/campaigns/campaigns-list";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { can } from "@/lib/console/roles";
import { listLocations } from "@/lib/console/settings";
import { requireUser } from "../current-user";
import { pathWithQuery } from "../page-path";

export const metadata: Metadata = { title: "Campaigns" };

export default async function CampaignsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser(pathWithQuery("/campaigns", await searchParams));
  if (!can(user.role, "campaigns")) notFound();
  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Offers sent to chosen customers, and what became of them: how many were issued, redeemed, and the sales they brought."
        actions={
          <Button asChild>
            <Link href="/campaigns/new">
              <Megaphone aria-hidden /> New campaign
            </Link>
          </Button>
        }
      />
      <CampaignsList
        groupLocations={await listLocations(user.groupId)}
        workLocations={user.locations}
        currentLocationId={user.currentLocationId}
        mayActForGroup={user.role === "owner"}
      />
    </>
  );
}
