// A campaign's page: its terms, results and each customer's outcome, followed until the send
// worker has decided everyone; sending it to more customers for those who may. Read on the
// server first, so an unknown campaign (or one the user may not see) is a real 404.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CampaignDetail } from "@/components/campaigns/campaign-detail";
import { campaignTitle } from "@/components/campaigns/campaign-format";
import { can } from "@/lib/console/roles";
import { listLocations } from "@/lib/console/settings";
import { currentUser, requireUser } from "../../current-user";
import { loadCampaign } from "../load-campaign";

type Props = { params: Promise<{ CampaignID: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { CampaignID } = await params;
  const user = await currentUser();
  const loaded = user && can(user.role, "campaigns") ? await loadCampaign(user, CampaignID) : null;
  return { title: loaded?.found ? campaignTitle(loaded.campaign) : "Campaign" };
}

export default async function CampaignPage({ params }: Props) {
  const { CampaignID } = await params;
  const user = await requireUser(`/campaigns/${encodeURIComponent(CampaignID)}`);
  if (!can(user.role, "campaigns")) notFound();
  const loaded = await loadCampaign(user, CampaignID);
  if (loaded.found === false) notFound();
  const actAt = loaded.actAt ?? (user.role === "owner" ? "group" : (user.locations[0]?.LocationID ?? "group"));
  const campaign = loaded.found ? loaded.campaign : null;
  // A group campaign is sent with the group key (an Owner); a location's by whoever works there.
  const maySend =
    campaign !== null &&
    (campaign.LocationID === null ? can(user.role, "campaigns:group") : user.locations.some((l) => l.LocationID === campaign.LocationID));
  const mayActForGroup = can(user.role, "campaigns:group");
  return (
    <CampaignDetail
      campaignId={Number(CampaignID)}
      actAt={actAt}
      initial={loaded.found ? { campaign: loaded.campaign, fetchedAt: loaded.fetchedAt } : undefined}
      groupLocations={await listLocations(user.groupId)}
      purchaseLocations={mayActForGroup ? await listLocations(user.groupId) : user.locations}
      maySend={maySend}
      mayActForGroup={mayActForGroup}
    />
  );
}
