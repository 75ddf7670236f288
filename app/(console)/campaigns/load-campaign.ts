// The campaign a campaign's page is about, read on the server first: an unknown id (or one the
// user may not see) answers 404. An Owner reads with the group key; a Manager with the key of
// each of their locations in turn (a location key sees group campaigns and its own location's),
// so a link to a Silverton campaign opens for a Manager working at Durango too. The page then
// keeps acting with the key that found it.
import "server-only";
import { cache } from "react";
import type { ActAt, CampaignWithStats } from "@/lib/console/client/campaigns";
import { engageClientFor } from "@/lib/console/engage-client";
import type { ConsoleUser } from "@/lib/console/session";

export type LoadedCampaign =
  | { found: true; campaign: CampaignWithStats; actAt: ActAt; fetchedAt: number }
  | { found: false }
  /** Engage could not answer now: the page says so, with a retry. */
  | { found: null; actAt: ActAt | null };

export const loadCampaign = cache(async (user: ConsoleUser, campaignIdParam: string): Promise<LoadedCampaign> => {
  if (!/^[1-9]\d{0,14}$/.test(campaignIdParam)) return { found: false };
  const scopes: ActAt[] =
    user.role === "owner"
      ? ["group"]
      : [...user.locations].sort((a, b) => Number(b.LocationID === user.currentLocationId) - Number(a.LocationID === user.currentLocationId)).map((l) => l.LocationID);
  try {
    const client = await engageClientFor(user.groupId);
    for (const actAt of scopes) {
      const result = await client.call(
        { groupId: user.groupId, locationId: actAt === "group" ? null : actAt },
        { method: "GET", path: `/v1/Campaigns/${campaignIdParam}` },
      );
      if (result.status === 404) continue;
      if (result.status !== 200 || !result.body) return { found: null, actAt };
      return { found: true, campaign: JSON.parse(result.body) as CampaignWithStats, actAt, fetchedAt: Date.now() };
    }
    return { found: false };
  } catch {
    return { found: null, actAt: scopes[0] ?? null };
  }
});
