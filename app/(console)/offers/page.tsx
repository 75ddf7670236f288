// Offers: what a clerk does when a customer shows a code — look it up, and see at once whether
// it can be used, for whom, for how much, and if not, why. The code stays in the URL.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { OfferLookup } from "@/components/offers/offer-lookup";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/console/roles";
import { listLocations } from "@/lib/console/settings";
import { requireUser } from "../current-user";
import { pathWithQuery } from "../page-path";

export const metadata: Metadata = { title: "Offers" };

export default async function OffersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser(pathWithQuery("/offers", await searchParams));
  if (!can(user.role, "offers")) notFound();
  return (
    <>
      <PageHeader title="Offers" description="A customer shows you an offer code: look it up to see whether it can be used here, and for how much." />
      <OfferLookup
        groupName={user.groupName}
        groupLocations={await listLocations(user.groupId)}
        currentLocationId={user.currentLocationId}
        canSeeReceipts={can(user.role, "receipts")}
      />
    </>
  );
}
