// How a campaign's terms read: where it is good, its amount and minimum, its lifetime, its rate.
import type { Campaign } from "@/lib/console/client/campaigns";
import { formatMoney } from "@/lib/console/client/format";

export interface NamedLocation {
  LocationID: number;
  Name: string;
}

export function locationName(locations: NamedLocation[], id: number | null | undefined): string {
  return locations.find((l) => l.LocationID === id)?.Name ?? `Location ${id}`;
}

/** "All locations" for a group campaign, else the location's name. */
export function scopeName(campaign: Pick<Campaign, "LocationID">, locations: NamedLocation[]): string {
  return campaign.LocationID === null ? "All locations" : locationName(locations, campaign.LocationID);
}

export function campaignTitle(campaign: Pick<Campaign, "Name" | "CampaignID">): string {
  return campaign.Name?.trim() || `Campaign #${campaign.CampaignID}`;
}

export function daysInWords(days: number): string {
  return `${days} ${days === 1 ? "day" : "days"}`;
}

const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });

export function formatRate(rate: number): string {
  return percent.format(rate);
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** "$5.00 off a purchase of $20.00 or more" / "$5.00 off any purchase". */
export function offerInWords(terms: { AmountOff: number; MinimumPurchase: number }): string {
  return terms.MinimumPurchase > 0
    ? `${formatMoney(terms.AmountOff)} off a purchase of ${formatMoney(terms.MinimumPurchase)} or more`
    : `${formatMoney(terms.AmountOff)} off any purchase`;
}
